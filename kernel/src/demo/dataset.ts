import { Random } from './random.js';
import { CITIES, COMPANY_FIRST, COMPANY_SECOND, COMPANY_SUFFIX, DEAL_KINDS, FIRST_NAMES, INDUSTRIES, JOB_TITLES, LAST_NAMES, NOTE_TEMPLATES, STREETS, TASK_TITLES } from './words.js';

/** How many records of each kind the demo data set holds. */
export interface DemoSize {
  readonly companies: number;
  readonly peoplePerCompany: number;
  readonly opportunities: number;
  readonly notes: number;
  readonly tasks: number;
}

/** A few thousand of each: enough for the table, board, search and pipeline to feel like a working CRM. */
export const DEFAULT_DEMO_SIZE: DemoSize = { companies: 1200, peoplePerCompany: 3, opportunities: 1500, notes: 2500, tasks: 800 };

type Row = Record<string, unknown> & { id: string };

/** The records to create, per object, in an order where every relation points at a record created earlier. */
export interface DemoDataSet {
  readonly company: Row[];
  readonly person: Row[];
  readonly opportunity: Row[];
  readonly note: Row[];
  readonly task: Row[];
}

/** Pipeline stages of the opportunities plugin with how likely each is and its win probability. */
const STAGES: readonly (readonly [string, number, number])[] = [
  ['new', 22, 10], ['qualified', 20, 25], ['proposal', 16, 50], ['negotiation', 10, 75], ['won', 18, 100], ['lost', 14, 0],
];

const DAY_MS = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}

function slug(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '');
}

/**
 * Builds the demo data set: companies with their people, opportunities across the pipeline, and notes
 * and tasks attached to them. The same `seed` gives the same records (ids included); dates are relative
 * to `today` so tasks are due today and deals close this quarter whenever the demo starts.
 */
export function buildDemoDataSet(ownerId: string, today = new Date(), size: DemoSize = DEFAULT_DEMO_SIZE, seed = 2026): DemoDataSet {
  const random = new Random(seed);
  const now = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  const usedDomains = new Set<string>();

  const company: Row[] = [];
  for (let i = 0; i < size.companies; i++) {
    const base = `${random.pick(COMPANY_FIRST)} ${random.pick(COMPANY_SECOND)}`;
    const name = `${base}${random.pick(COMPANY_SUFFIX)}`;
    let domain = `${slug(base)}.${random.pick(['com', 'io', 'co', 'de', 'fr', 'net'])}`;
    for (let n = 2; usedDomains.has(domain); n++) domain = `${slug(base)}${n}.com`;
    usedDomains.add(domain);
    const [city, region, country] = random.pick(CITIES);
    const employees = random.skewed(3, 20_000);
    company.push({
      id: random.uuid(),
      name,
      domain,
      employees,
      industry: random.weighted(INDUSTRIES),
      annual_revenue: { amount: Math.round(employees * random.int(40, 260)) * 1000, currency: random.pick(['EUR', 'USD', 'GBP']) },
      address: { street: `${random.int(1, 240)} ${random.pick(STREETS)}`, city, region, country, postcode: String(random.int(10000, 99999)) },
      linkedin: `https://www.linkedin.com/company/${slug(base)}`,
      ideal_customer: employees >= 200 && random.chance(0.5),
      account_owner_id: ownerId,
    });
  }

  const person: Row[] = [];
  const peopleOf = new Map<string, Row[]>();
  for (const c of company) {
    const count = Math.max(1, random.int(1, size.peoplePerCompany * 2 - 1));
    const staff: Row[] = [];
    for (let i = 0; i < count; i++) {
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      const p: Row = {
        id: random.uuid(),
        full_name: { first_name: first, last_name: last },
        emails: { primary: `${slug(first)}.${slug(last)}${random.chance(0.2) ? random.int(2, 99) : ''}@${String(c.domain)}` },
        phones: { primary: `+${random.int(1, 49)} ${random.int(100, 999)} ${random.int(1000000, 9999999)}` },
        job_title: random.pick(JOB_TITLES),
        city: (c.address as { city: string }).city,
        company_id: c.id,
      };
      staff.push(p);
      person.push(p);
    }
    peopleOf.set(c.id, staff);
  }

  const opportunity: Row[] = [];
  for (let i = 0; i < size.opportunities; i++) {
    const c = random.pick(company);
    const [stage, , probability] = random.weighted(STAGES.map((s) => [s, s[1]] as const));
    const closed = stage === 'won' || stage === 'lost';
    const closeDate = closed ? now - random.int(1, 180) * DAY_MS : now + random.int(0, 120) * DAY_MS;
    opportunity.push({
      id: random.uuid(),
      name: `${String(c.name)} — ${random.pick(DEAL_KINDS)}`,
      amount: { amount: random.skewed(2, 400) * 1000, currency: ((c.annual_revenue as { currency: string }).currency) },
      stage,
      close_date: isoDate(closeDate),
      probability,
      company_id: c.id,
      point_of_contact_id: random.pick(peopleOf.get(c.id)!).id,
    });
  }

  const targets = [...company.map((r) => ['company', r] as const), ...person.map((r) => ['person', r] as const), ...opportunity.map((r) => ['opportunity', r] as const)];
  const context = (object: string, r: Row): Record<string, string> => {
    const c = object === 'company' ? r : company.find((x) => x.id === r.company_id) ?? random.pick(company);
    const staff = peopleOf.get(c.id) ?? [];
    const p = object === 'person' ? r : staff.length > 0 ? random.pick(staff) : undefined;
    const fullName = p ? (p.full_name as { first_name: string; last_name: string }) : undefined;
    return {
      company: String(c.name),
      person: fullName ? `${fullName.first_name} ${fullName.last_name}` : 'the team',
      city: (c.address as { city: string }).city,
      quarter: String(random.int(1, 4)),
      seats: String(random.int(5, 250)),
    };
  };

  const note: Row[] = [];
  for (let i = 0; i < size.notes; i++) {
    const [object, target] = random.pick(targets);
    const [title, body] = random.pick(NOTE_TEMPLATES);
    note.push({ id: random.uuid(), title, body: fill(body, context(object, target)), target_object: object, target_id: target.id });
  }

  const task: Row[] = [];
  for (let i = 0; i < size.tasks; i++) {
    const [object, target] = random.pick(targets);
    // A third due today so the dashboard has something to show, the rest spread around it.
    const due = random.chance(0.33) ? now : now + random.int(-20, 30) * DAY_MS;
    const status = due < now ? random.weighted([['done', 6], ['todo', 3], ['in_progress', 1]] as const) : random.weighted([['todo', 6], ['in_progress', 3], ['done', 1]] as const);
    task.push({
      id: random.uuid(),
      title: fill(random.pick(TASK_TITLES), context(object, target)),
      due_date: isoDate(due),
      status,
      assignee_id: ownerId,
      target_object: object,
      target_id: target.id,
    });
  }

  return { company, person, opportunity, note, task };
}
