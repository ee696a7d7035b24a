import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import type { PluginContext } from '@mosaic/plugin-sdk';
import { computePipeline } from '../src/pipeline.js';
import { PipelineTotals, STAGES } from '../src/server.js';

// The parts of the plugin that need no kernel: the stage order and the arithmetic of the totals.

describe('stages and totals', () => {
  test('the manifest\'s stage options are the pipeline, in the same order', async () => {
    const manifest = JSON.parse(await readFile(new URL('../mosaic-plugin.json', import.meta.url), 'utf8')) as { objects: { fields: { name: string; options?: { options?: { value: string }[] } }[] }[] };
    const stage = manifest.objects[0]!.fields.find((f) => f.name === 'stage')!;
    assert.deepEqual(stage.options?.options?.map((o) => o.value), [...STAGES]);
  });

  test('amounts add up exactly per currency; no probability weighs 0; unknown stages are counted apart', () => {
    const totals = new PipelineTotals();
    for (let i = 0; i < 10; i++) totals.add({ stage: 'new', amount: { amount: 0.1, currency: 'USD' }, probability: 10 });
    totals.add({ stage: 'new', amount: { amount: '19.99', currency: 'EUR' }, probability: null });
    totals.add({ stage: 'new', amount: null, probability: 50 });
    totals.add({ stage: null, amount: { amount: 5, currency: 'USD' } });
    const result = totals.result(false);
    assert.deepEqual(result.stages[0], { stage: 'new', count: 12, amount: { EUR: 19.99, USD: 1 }, weighted: { EUR: 0, USD: 0.1 } });
    assert.deepEqual(result.stages.map((s) => s.stage), [...STAGES]);
    assert.equal(result.unstaged, 1);
    assert.equal(result.counted, 13);
  });

  test('paging stops at the row budget and says the answer is truncated', async () => {
    const calls: unknown[] = [];
    const ctx = {
      host: {
        records: {
          async find(_object: string, query: { limit: number; starting_after?: string }) {
            calls.push(query);
            const start = Number(query.starting_after ?? 0);
            const data = Array.from({ length: query.limit }, () => ({ stage: 'won', amount: { amount: 1, currency: 'USD' }, probability: 100 }));
            return { data, page_info: { has_next_page: true, end_cursor: String(start + query.limit) } };
          },
        },
      },
    } as unknown as PluginContext;
    const result = await computePipeline(ctx, { rows: 25, calls: 200, page: 10 });
    assert.equal(result.truncated, true);
    assert.equal(result.counted, 25);
    assert.deepEqual(calls.map((q) => (q as { limit: number }).limit), [10, 10, 5], 'the last page asks only for what the budget allows');
    const byCalls = await computePipeline(ctx, { rows: 1000, calls: 2, page: 10 });
    assert.deepEqual([byCalls.truncated, byCalls.counted], [true, 20]);
  });
});
