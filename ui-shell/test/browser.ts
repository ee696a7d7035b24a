import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { waitFor } from '../../kernel/test/helpers/wait.js';

/** Debian's Chromium, as CI installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** A real kernel listening on a free port, and a Chromium to drive against it; both end with the test. */
export async function startBrowserKernel(t: Teardown) {
  const kernel = await startTestKernel(t);
  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = kernel.app.server.address() as AddressInfo;
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  t.teardown(() => browser.close());
  return { kernel, browser, baseUrl: `http://127.0.0.1:${port}` };
}

/**
 * A new page that records what must never happen: script errors and Content-Security-Policy
 * violations (the console reports those).
 */
export async function openPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Tests load TypeScript through tsx, whose esbuild keepNames wraps named functions in `__name(...)`;
  // a function handed to page.evaluate carries that call into the page, which has no such helper.
  await context.addInitScript('globalThis.__name = (target) => target;');
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  return { page, problems };
}

/** The text of each body row's cell for a field, in order. */
export async function column(page: Page, field: string): Promise<string[]> {
  return (await page.locator(`mosaic-record-table tbody td[data-field="${field}"]`).allTextContents()).map((s) => s.trim());
}

/** Polls until `column(field)` equals `expected` (JSON-compared); returns the last value seen. */
export async function waitForColumn(page: Page, field: string, expected: string[], timeoutMs = 10_000): Promise<string[]> {
  let last: string[] = [];
  await waitFor(async () => {
    last = await column(page, field);
    return JSON.stringify(last) === JSON.stringify(expected);
  }, timeoutMs, 50);
  return last;
}

/** Puts a session (from the kernel's test helpers) into a new browser page, signed in. */
export async function openSignedInPage(browser: Browser, baseUrl: string, cookie: string): Promise<{ page: Page; problems: string[] }> {
  const opened = await openPage(browser);
  const [name, value] = cookie.split('=') as [string, string];
  await opened.page.context().addCookies([{ name, value, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
  return opened;
}

/** A `deal` object with a name, a stage (Lead, Qualified, Won) and an employee count, through the API. */
export const DEAL_OBJECT = {
  name: 'deal',
  label_singular: 'Deal',
  label_plural: 'Deals',
  fields: [
    { name: 'name', type: 'text', label: 'Name' },
    { name: 'stage', type: 'select', label: 'Stage', options: { options: [{ value: 'lead', label: 'Lead' }, { value: 'qualified', label: 'Qualified' }, { value: 'won', label: 'Won' }] } },
    { name: 'employees', type: 'number', label: 'Employees' },
  ],
} as const;
