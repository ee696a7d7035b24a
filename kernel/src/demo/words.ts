/** Word lists the demo data set is built from. */

export const COMPANY_FIRST = [
  'Northwind', 'Bluebird', 'Silverline', 'Evergreen', 'Brightpath', 'Ironwood', 'Clearwater', 'Redstone', 'Summit', 'Harbor',
  'Lumen', 'Atlas', 'Beacon', 'Cobalt', 'Granite', 'Juniper', 'Keystone', 'Meridian', 'Nimbus', 'Orchard',
  'Pioneer', 'Quarry', 'Riverbend', 'Sable', 'Tidewater', 'Upland', 'Vantage', 'Willow', 'Zephyr', 'Aurora',
  'Boreal', 'Cascade', 'Driftwood', 'Ember', 'Foxglove', 'Greenfield', 'Highland', 'Indigo', 'Kestrel', 'Larkspur',
  'Maple', 'Novus', 'Oakridge', 'Pinnacle', 'Quantum', 'Rosewood', 'Sterling', 'Trillium', 'Verity', 'Westfield',
];

export const COMPANY_SECOND = [
  'Analytics', 'Systems', 'Labs', 'Logistics', 'Health', 'Capital', 'Foods', 'Energy', 'Robotics', 'Media',
  'Software', 'Partners', 'Manufacturing', 'Retail', 'Learning', 'Security', 'Cloud', 'Networks', 'Bio', 'Studios',
  'Consulting', 'Dynamics', 'Works', 'Supply', 'Ventures',
];

export const COMPANY_SUFFIX = ['', '', '', ' Inc.', ' GmbH', ' Ltd', ' SA', ' BV', ' AB', ' Co.'];

/** Industry select values of the companies plugin, weighted by how often they come up. */
export const INDUSTRIES: readonly (readonly [string, number])[] = [
  ['software', 24], ['financial_services', 10], ['healthcare', 9], ['manufacturing', 12], ['retail', 9],
  ['education', 6], ['media', 6], ['energy', 5], ['public_sector', 4], ['professional_services', 10], ['other', 5],
];

export const CITIES: readonly (readonly [string, string, string])[] = [
  ['Berlin', 'Berlin', 'Germany'], ['Munich', 'Bavaria', 'Germany'], ['Paris', 'Île-de-France', 'France'], ['Lyon', 'Auvergne-Rhône-Alpes', 'France'],
  ['London', 'England', 'United Kingdom'], ['Manchester', 'England', 'United Kingdom'], ['Amsterdam', 'North Holland', 'Netherlands'],
  ['Stockholm', 'Stockholm', 'Sweden'], ['Madrid', 'Madrid', 'Spain'], ['Barcelona', 'Catalonia', 'Spain'], ['Milan', 'Lombardy', 'Italy'],
  ['Zurich', 'Zurich', 'Switzerland'], ['Dublin', 'Leinster', 'Ireland'], ['New York', 'NY', 'United States'], ['Austin', 'TX', 'United States'],
  ['San Francisco', 'CA', 'United States'], ['Chicago', 'IL', 'United States'], ['Boston', 'MA', 'United States'], ['Toronto', 'ON', 'Canada'],
  ['Montreal', 'QC', 'Canada'], ['São Paulo', 'SP', 'Brazil'], ['Singapore', 'Singapore', 'Singapore'], ['Sydney', 'NSW', 'Australia'], ['Tokyo', 'Tokyo', 'Japan'],
];

export const STREETS = ['Main Street', 'Harbour Road', 'Market Square', 'Station Road', 'Park Avenue', 'Mill Lane', 'King Street', 'Bridge Street', 'Church Road', 'High Street'];

export const FIRST_NAMES = [
  'Ada', 'Alan', 'Amara', 'Ana', 'Arjun', 'Ben', 'Carla', 'Chen', 'Chloé', 'Daniel', 'Elena', 'Emil', 'Fatima', 'Felix', 'Grace',
  'Hannah', 'Hiro', 'Ines', 'Isaac', 'Jonas', 'Julia', 'Kai', 'Laila', 'Lars', 'Lea', 'Lucas', 'Maya', 'Mateo', 'Mia', 'Noah',
  'Nora', 'Omar', 'Priya', 'Rafael', 'Rosa', 'Sami', 'Sara', 'Sofia', 'Tom', 'Umar', 'Vera', 'Wei', 'Yara', 'Yusuf', 'Zoe',
];

export const LAST_NAMES = [
  'Andersen', 'Becker', 'Bianchi', 'Costa', 'Dubois', 'Eriksson', 'Fischer', 'García', 'Hansen', 'Ibrahim', 'Jensen', 'Kowalski',
  'Lambert', 'Lopez', 'Martin', 'Meyer', 'Müller', 'Nakamura', 'Novak', "O'Brien", 'Patel', 'Rossi', 'Santos', 'Schmidt',
  'Singh', 'Smith', 'Svensson', 'Tanaka', 'Van Dijk', 'Wagner', 'Walsh', 'Weber', 'Wong', 'Yilmaz', 'Zhang',
];

export const JOB_TITLES = [
  'CEO', 'CTO', 'CFO', 'COO', 'VP Sales', 'VP Engineering', 'Head of Operations', 'Head of Marketing', 'Procurement Manager',
  'IT Director', 'Product Manager', 'Sales Manager', 'Account Executive', 'Office Manager', 'Data Analyst', 'Founder',
];

export const DEAL_KINDS = ['Annual licence', 'Pilot', 'Expansion', 'Renewal', 'Onboarding package', 'Support plan', 'Platform migration', 'Team seats'];

export const NOTE_TEMPLATES: readonly (readonly [string, string])[] = [
  ['Intro call', 'Intro call with **{person}**. They are evaluating options for Q{quarter}; main pain point is manual reporting.\n\n- Budget owner: {person}\n- Next step: send case studies'],
  ['Demo follow-up', 'Ran the product demo for the {company} team. Questions about SSO and data residency.\n\nSent the security overview afterwards.'],
  ['Pricing discussion', 'Discussed pricing for {seats} seats. {person} asked for a multi-year discount; agreed to come back with a proposal.'],
  ['Quarterly review', 'QBR with {company}: adoption is up, two new teams onboarded. Renewal looks likely.'],
  ['Lost to competitor', '{company} chose a competitor on price. Keep in touch for next budget cycle.'],
  ['Site visit', 'Visited the {city} office. Met {person} and the operations team; strong interest in automation.'],
  ['Contract redlines', 'Legal sent redlines on liability and payment terms. Looping in our counsel.'],
];

export const TASK_TITLES = [
  'Send proposal to {company}', 'Follow up with {person}', 'Prepare demo for {company}', 'Book QBR with {company}',
  'Check contract status', 'Share case studies with {person}', 'Update close date', 'Call {person} about renewal',
];
