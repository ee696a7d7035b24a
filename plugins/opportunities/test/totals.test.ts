import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { PipelineTotals, STAGES } from '../src/server.js';

// The parts of the plugin that need no kernel: the stage order and the arithmetic of the totals
// (the database groups; the plugin adds the groups up per stage and currency).

describe('stages and totals', () => {
  test('the manifest\'s stage options are the pipeline, in the same order', async () => {
    const manifest = JSON.parse(await readFile(new URL('../mosaic-plugin.json', import.meta.url), 'utf8')) as { objects: { fields: { name: string; options?: { options?: { value: string }[] } }[] }[] };
    const stage = manifest.objects[0]!.fields.find((f) => f.name === 'stage')!;
    assert.deepEqual(stage.options?.options?.map((o) => o.value), [...STAGES]);
  });

  test('amounts add up exactly per currency; no probability weighs 0; unknown stages are counted apart', () => {
    const totals = new PipelineTotals();
    // Ten opportunities of 0.1 USD at 10 %: binary floating point would not land on 1 and 0.1.
    totals.add({ stage: 'new', currency: 'USD', probability: 10, count: 10, amount: 1 });
    for (let i = 0; i < 10; i++) totals.add({ stage: 'qualified', currency: 'USD', probability: 10, count: 1, amount: 0.1 });
    totals.add({ stage: 'new', currency: 'EUR', probability: null, count: 1, amount: '19.99' });
    totals.add({ stage: 'new', currency: null, probability: 50, count: 1, amount: null });
    totals.add({ stage: null, currency: 'USD', probability: null, count: 2, amount: 5 });
    const result = totals.result();
    assert.deepEqual(result.stages[0], { stage: 'new', count: 12, amount: { EUR: 19.99, USD: 1 }, weighted: { EUR: 0, USD: 0.1 } });
    assert.deepEqual(result.stages[1], { stage: 'qualified', count: 10, amount: { USD: 1 }, weighted: { USD: 0.1 } });
    assert.deepEqual(result.stages.map((s) => s.stage), [...STAGES]);
    assert.equal(result.unstaged, 2);
    assert.equal(result.counted, 24);
  });
});
