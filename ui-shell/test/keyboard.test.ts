import t from 'tap';
import type { Page } from 'playwright-core';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { DEAL_OBJECT, openSignedInPage, startBrowserKernel, waitForColumn } from './browser.js';

interface Stop {
  readonly tag: string;
  readonly name: string;
  readonly ring: boolean;
}

/** Presses Tab until focus comes back to the first stop (or `max` presses), describing each stop. */
async function tabStops(page: Page, max = 120): Promise<Stop[]> {
  const stops: Stop[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      let a = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      if (!a || a === document.body) return null;
      const el = a as HTMLElement;
      const root = el.getRootNode() as Document | ShadowRoot;
      const labelledBy = (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).filter(Boolean).map((id) => root.getElementById?.(id)?.textContent ?? '').join(' ');
      const labels = 'labels' in el && (el as HTMLInputElement).labels ? Array.from((el as HTMLInputElement).labels!).map((l) => l.textContent ?? '').join(' ') : '';
      const name = (el.getAttribute('aria-label') || labelledBy || labels || el.textContent || el.getAttribute('title') || '').trim().replace(/\s+/g, ' ');
      const style = getComputedStyle(el);
      const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
      // A path that tells stops apart (same names occur in several places).
      const path: string[] = [];
      for (let n: Node | null = el; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) if (n instanceof Element) path.push(`${n.tagName}${Array.from(n.parentNode?.children ?? []).indexOf(n)}`);
      return { tag: el.tagName.toLowerCase(), name, ring, key: path.join('/') };
    });
    if (!stop) continue;
    if (seen.has(stop.key)) break;
    seen.add(stop.key);
    stops.push({ tag: stop.tag, name: stop.name, ring: stop.ring });
  }
  return stops;
}

t.test('keyboard: a skip link first, every control reachable by Tab with a name and a visible focus ring', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const session = await signUp(kernel.app);
  const client = api(kernel.app, session);
  t.equal((await client.post('/api/metadata/objects', DEAL_OBJECT)).status, 201);
  const deal = (await client.post('/api/objects/deal', { name: 'Acme', stage: 'lead', employees: 3 })).body.data;

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/objects/deal`);
  await waitForColumn(page, 'name', ['Acme']);

  const stops = await tabStops(page);
  t.equal(stops[0]?.name, 'Skip to content', 'the first stop is the skip link');
  t.same(stops.filter((s) => s.name === ''), [], 'every stop has a name');
  t.same(stops.filter((s) => !s.ring), [], 'every stop shows a focus ring');
  const names = stops.map((s) => s.name);
  for (const expected of ['Search', 'Deals', 'Filter', '+ New deal', 'Open Acme', 'Select row', 'Sign out']) t.ok(names.some((n) => n.includes(expected)), `“${expected}” is reachable`);

  // The skip link moves focus to the main area, past the sidebar.
  await page.goto(`${baseUrl}/objects/deal/${deal.id}`);
  await page.locator('mosaic-record-page h1', { hasText: 'Acme' }).waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  t.equal(await page.evaluate(() => document.querySelector('mosaic-app')!.shadowRoot!.activeElement?.tagName), 'MAIN', 'the skip link focuses the main area');
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a?.textContent?.trim();
  });
  t.equal(next, '← Deals', 'the next Tab lands on the page, not the sidebar');

  // The record page: every field reachable and named.
  await page.locator('mosaic-record-timeline li[data-type="record.created"]').waitFor();
  const recordStops = await tabStops(page);
  t.same(recordStops.filter((s) => s.name === ''), [], 'every stop on the record page has a name');
  t.same(recordStops.filter((s) => !s.ring), [], 'and a focus ring');
  for (const field of ['Name', 'Stage', 'Employees']) t.ok(recordStops.some((s) => s.tag === 'dd' && s.name.startsWith(field)), `the ${field} field is reachable`);

  t.same(problems, [], 'no script errors and no CSP violations');
});
