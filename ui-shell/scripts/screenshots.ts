/**
 * Screenshots of the main screens, for the README: `npm run screenshots`.
 *
 * Starts a real kernel (on the PostgreSQL the tests use) with the core plugins installed, signs up,
 * seeds a small, realistic data set through the HTTP API and saves PNGs to docs/screenshots/. Object
 * icons are emoji: without an emoji font (Debian: fonts-noto-color-emoji) Chromium draws empty boxes.
 */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { CHROMIUM } from '../test/browser.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'docs', 'screenshots');
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars'];
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const COMPANIES = [
  { name: 'Northwind Traders', domain: 'northwind.com', industry: 'retail', employees: 420, revenue: 86_000_000, city: 'Seattle', country: 'United States' },
  { name: 'Contoso Health', domain: 'contosohealth.com', industry: 'healthcare', employees: 1_850, revenue: 310_000_000, city: 'Boston', country: 'United States' },
  { name: 'Fabrikam Robotics', domain: 'fabrikam.io', industry: 'manufacturing', employees: 640, revenue: 125_000_000, city: 'Stuttgart', country: 'Germany' },
  { name: 'Tailspin Software', domain: 'tailspin.dev', industry: 'software', employees: 95, revenue: 14_500_000, city: 'Austin', country: 'United States' },
  { name: 'Woodgrove Bank', domain: 'woodgrovebank.com', industry: 'financial_services', employees: 7_200, revenue: 2_100_000_000, city: 'London', country: 'United Kingdom' },
  { name: 'Lumen Learning', domain: 'lumenlearning.org', industry: 'education', employees: 160, revenue: 21_000_000, city: 'Toronto', country: 'Canada' },
  { name: 'Brightwave Media', domain: 'brightwave.tv', industry: 'media', employees: 230, revenue: 48_000_000, city: 'Los Angeles', country: 'United States' },
  { name: 'Helios Energy', domain: 'heliosenergy.com', industry: 'energy', employees: 1_100, revenue: 540_000_000, city: 'Houston', country: 'United States' },
  { name: 'Alder & Finch', domain: 'alderfinch.com', industry: 'professional_services', employees: 75, revenue: 12_000_000, city: 'Dublin', country: 'Ireland' },
  { name: 'Cobalt Analytics', domain: 'cobaltanalytics.ai', industry: 'software', employees: 48, revenue: 6_200_000, city: 'Berlin', country: 'Germany' },
  { name: 'City of Riverton', domain: 'riverton.gov', industry: 'public_sector', employees: 2_600, revenue: 0, city: 'Riverton', country: 'United States' },
  { name: 'Pinecrest Clinics', domain: 'pinecrestclinics.com', industry: 'healthcare', employees: 380, revenue: 72_000_000, city: 'Denver', country: 'United States' },
] as const;

const PEOPLE = [
  ['Maya', 'Chen', 'VP Operations', 'northwind.com'],
  ['Daniel', 'Okafor', 'Head of Procurement', 'northwind.com'],
  ['Priya', 'Raman', 'CIO', 'contosohealth.com'],
  ['Lukas', 'Becker', 'Plant Manager', 'fabrikam.io'],
  ['Sofia', 'Alvarez', 'CTO', 'tailspin.dev'],
  ['James', 'Whitfield', 'Director of IT', 'woodgrovebank.com'],
  ['Hannah', 'Kim', 'Head of Partnerships', 'lumenlearning.org'],
  ['Marcus', 'Reid', 'COO', 'brightwave.tv'],
  ['Elena', 'Petrova', 'Procurement Lead', 'heliosenergy.com'],
  ['Connor', 'Walsh', 'Managing Partner', 'alderfinch.com'],
  ['Aiko', 'Tanaka', 'CEO', 'cobaltanalytics.ai'],
  ['Grace', 'Miller', 'IT Program Manager', 'riverton.gov'],
  ['Omar', 'Haddad', 'Practice Administrator', 'pinecrestclinics.com'],
  ['Nina', 'Lindqvist', 'Finance Director', 'contosohealth.com'],
] as const;

const OPPORTUNITIES = [
  ['Northwind: store rollout', 'northwind.com', 'new', 48_000, '2026-03-31'],
  ['Contoso: clinic expansion', 'contosohealth.com', 'qualified', 120_000, '2026-02-28'],
  ['Fabrikam: plant 2 licences', 'fabrikam.io', 'proposal', 86_500, '2026-01-31'],
  ['Tailspin: team plan', 'tailspin.dev', 'won', 18_000, '2025-11-15'],
  ['Woodgrove: enterprise agreement', 'woodgrovebank.com', 'negotiation', 420_000, '2026-01-15'],
  ['Lumen: campus pilot', 'lumenlearning.org', 'new', 12_500, '2026-04-30'],
  ['Brightwave: studio seats', 'brightwave.tv', 'qualified', 36_000, '2026-02-15'],
  ['Helios: field service', 'heliosenergy.com', 'proposal', 155_000, '2026-03-15'],
  ['Alder & Finch: renewal', 'alderfinch.com', 'won', 24_000, '2025-12-01'],
  ['Cobalt: starter plan', 'cobaltanalytics.ai', 'lost', 9_600, '2025-10-20'],
  ['Riverton: permits portal', 'riverton.gov', 'negotiation', 210_000, '2026-02-01'],
  ['Pinecrest: scheduling', 'pinecrestclinics.com', 'qualified', 54_000, '2026-03-01'],
  ['Northwind: loyalty add-on', 'northwind.com', 'proposal', 27_500, '2026-02-20'],
] as const;

/** Collects teardowns, as tap's `t` would, and runs them in reverse at the end. */
const teardowns: (() => unknown)[] = [];
const t = { teardown: (fn: () => unknown) => void teardowns.push(fn) };

async function ok<T extends { status: number; body: any }>(what: string, res: Promise<T>): Promise<T['body']> {
  const r = await res;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function shoot(page: Page, name: string): Promise<void> {
  // Let Lit settle and fonts lay out.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(400);
  const file = join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`saved ${file}`);
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const kernel = await startTestKernel(t, { PLUGINS_CONFIG: join(ROOT, 'plugins.config.json') });
  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = kernel.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  const session = await signUp(kernel.app, { email: 'alex@mosaic.example', name: 'Alex Morgan', workspace: 'Acme Sales' });
  const client = api(kernel.app, session);

  const companyIds: Record<string, string> = {};
  for (const c of COMPANIES) {
    const body = await ok(`company ${c.name}`, client.post('/api/objects/company', {
      name: c.name,
      domain: c.domain,
      industry: c.industry,
      employees: c.employees,
      ...(c.revenue > 0 ? { annual_revenue: { amount: c.revenue, currency: 'USD' } } : {}),
      address: { city: c.city, country: c.country },
      linkedin: `https://www.linkedin.com/company/${c.domain.split('.')[0]}`,
      ideal_customer: c.employees >= 200 && c.employees <= 2_000,
    }));
    companyIds[c.domain] = body.data.id;
  }
  const contactOf: Record<string, string> = {};
  for (const [first, last, title, domain] of PEOPLE) {
    const body = await ok(`person ${first} ${last}`, client.post('/api/objects/person', {
      full_name: { first_name: first, last_name: last },
      emails: { primary: `${first.toLowerCase()}.${last.toLowerCase()}@${domain}` },
      job_title: title,
      city: COMPANIES.find((c) => c.domain === domain)!.city,
      company_id: companyIds[domain],
    }));
    contactOf[domain] ??= body.data.id;
  }
  for (const [name, domain, stage, amount, close] of OPPORTUNITIES) {
    await ok(`opportunity ${name}`, client.post('/api/objects/opportunity', {
      name,
      stage,
      amount: { amount, currency: 'USD' },
      close_date: close,
      company_id: companyIds[domain],
      point_of_contact_id: contactOf[domain],
    }));
  }

  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  t.teardown(() => browser.close());
  const problems: string[] = [];
  const open = async (viewport: { width: number; height: number }, signedIn: boolean): Promise<Page> => {
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    if (signedIn) {
      const [name, value] = session.cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
    }
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`);
    });
    return page;
  };

  // Sign-in page.
  const anon = await open(DESKTOP, false);
  await anon.goto(`${baseUrl}/sign-in`);
  await anon.locator('mosaic-sign-in input').first().waitFor();
  await shoot(anon, 'sign-in');

  const page = await open(DESKTOP, true);

  // Home: the dashboard of plugin widgets.
  await page.goto(`${baseUrl}/`);
  await page.locator('mosaic-dashboard').waitFor();
  await page.waitForTimeout(1200);
  await shoot(page, 'dashboard');

  // Companies table.
  await page.goto(`${baseUrl}/objects/company`);
  await page.locator('mosaic-record-table tbody tr').nth(COMPANIES.length - 1).waitFor();
  await shoot(page, 'companies-table');

  // Opportunities board, grouped by stage.
  await page.goto(`${baseUrl}/objects/opportunity`);
  await page.locator('mosaic-record-table tbody tr').first().waitFor();
  await page.getByRole('button', { name: 'Board' }).click();
  await page.locator('mosaic-record-board li a').nth(OPPORTUNITIES.length - 1).waitFor();
  await shoot(page, 'opportunities-board');

  // The opportunities plugin's pipeline page.
  await page.goto(`${baseUrl}/plugins/opportunities/opportunities-pipeline-board`);
  await page.locator('opportunities-pipeline-board li').nth(OPPORTUNITIES.length - 1).waitFor();
  await shoot(page, 'pipeline');

  // A company record page.
  await page.goto(`${baseUrl}/objects/company/${companyIds['northwind.com']}`);
  await page.locator('mosaic-record-page h1', { hasText: 'Northwind Traders' }).waitFor();
  await page.waitForTimeout(600);
  await shoot(page, 'company-record');

  // The command palette, searching.
  await page.keyboard.press('Control+k');
  await page.getByRole('combobox').fill('north');
  await page.getByRole('option', { name: /Northwind Traders/ }).first().waitFor();
  await shoot(page, 'command-palette');
  await page.keyboard.press('Escape');

  // Settings: plugins, and one plugin's detail with its permissions in plain words.
  await page.goto(`${baseUrl}/settings/plugins`);
  await page.locator('mosaic-plugins-page table').waitFor();
  await page.waitForTimeout(600);
  await shoot(page, 'settings-plugins');

  // Settings: the data model.
  await page.goto(`${baseUrl}/settings/data-model`);
  await page.locator('mosaic-data-model').waitFor();
  await page.waitForTimeout(600);
  await shoot(page, 'data-model');

  // Settings: one object's fields, owned by the companies plugin (locked where the plugin owns them).
  await page.goto(`${baseUrl}/settings/data-model?object=company`);
  await page.locator('mosaic-data-model-object table').waitFor();
  await page.waitForTimeout(600);
  await shoot(page, 'data-model-object');

  // A table at phone width.
  const phone = await open(PHONE, true);
  await phone.goto(`${baseUrl}/objects/person`);
  await phone.locator('mosaic-record-table tbody tr').nth(PEOPLE.length - 1).waitFor();
  await shoot(phone, 'people-table-phone');

  if (problems.length > 0) console.warn(`problems seen in the browser:\n  ${problems.join('\n  ')}`);
}

try {
  await main();
} finally {
  for (const fn of teardowns.reverse()) await fn();
}
