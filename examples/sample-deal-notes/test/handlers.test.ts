import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FindQuery, PluginContext } from '@mosaic/plugin-sdk';
import plugin, { DIGEST_KEY, NOTE, type Digest } from '../src/server.js';

// Handlers called directly with a fake ctx. The nightly job is tested here rather than on the live
// kernel: the kernel runs jobs only from its own minute timer (JobScheduler.runDue, in-process), and
// its HTTP API has no "run now", so a kernel test would wait for a `* * * * *` slot — up to a minute.

/** A ctx whose host holds `notes` of deal_note and records every kv write. */
function fakeCtx(notes: { id: string; deal_id: string | null; created_at: string }[], kv: Map<string, unknown>, finds: FindQuery[] = []): PluginContext {
  const host = {
    records: {
      async find(object: string, query: FindQuery = {}) {
        assert.equal(object, NOTE);
        finds.push(query);
        // Only what the job asks for: one page per call of at most `limit`, after `starting_after`.
        const start = query.starting_after === undefined ? 0 : notes.findIndex((n) => n.id === query.starting_after) + 1;
        const data = notes.slice(start, start + (query.limit ?? 50));
        const next = start + data.length < notes.length;
        return { data, page_info: { has_next_page: next, has_previous_page: start > 0, start_cursor: data[0]?.id ?? null, end_cursor: data.at(-1)?.id ?? null } };
      },
    },
    kv: {
      async set(key: string, value: unknown) {
        kv.set(key, value);
      },
      async get(key: string) {
        return kv.get(key) ?? null;
      },
    },
  };
  return { workspace: { id: 'w' }, actor: { type: 'plugin', id: 'deal-notes', name: 'Deal notes' }, host } as unknown as PluginContext;
}

describe('handlers called directly', () => {
  test('the nightly job counts the notes of the 24 hours before its slot, per deal, into kv', async () => {
    const kv = new Map<string, unknown>();
    const finds: FindQuery[] = [];
    const notes = [
      { id: 'n1', deal_id: 'd-b', created_at: '2025-03-01T03:00:00.000Z' },
      { id: 'n2', deal_id: 'd-a', created_at: '2025-03-01T09:00:00.000Z' },
      { id: 'n3', deal_id: 'd-b', created_at: '2025-03-01T20:00:00.000Z' },
      { id: 'n4', deal_id: null, created_at: '2025-03-01T21:00:00.000Z' },
    ];
    await plugin.jobs.nightlyDigest(fakeCtx(notes, kv, finds), { job: 'nightly-digest', scheduled_for: '2025-03-02T02:00:00.000Z' });

    assert.equal(finds[0]?.filter, 'and(created_at[gte]:"2025-03-01T02:00:00.000Z",created_at[lt]:"2025-03-02T02:00:00.000Z")');
    const digest = kv.get(DIGEST_KEY) as Digest;
    assert.deepEqual(digest, {
      scheduled_for: '2025-03-02T02:00:00.000Z',
      since: '2025-03-01T02:00:00.000Z',
      notes: 4,
      deals: [{ deal_id: 'd-b', notes: 2 }, { deal_id: 'd-a', notes: 1 }],
      truncated: false,
    });
    // What the job wrote is what the digest route answers.
    assert.deepEqual(await plugin.routes.digest(fakeCtx([], kv), { params: {}, query: {}, body: null }), { digest });
  });

  test('the nightly job reads page after page, and stops after ten pages of 500', async () => {
    const kv = new Map<string, unknown>();
    const finds: FindQuery[] = [];
    const notes = Array.from({ length: 5200 }, (_, i) => ({ id: `n${i}`, deal_id: `d${i % 3}`, created_at: '2025-03-01T12:00:00.000Z' }));
    await plugin.jobs.nightlyDigest(fakeCtx(notes, kv, finds), { job: 'nightly-digest', scheduled_for: '2025-03-02T02:00:00.000Z' });
    assert.equal(finds.length, 10);
    assert.equal(finds[1]?.starting_after, 'n499');
    const digest = kv.get(DIGEST_KEY) as Digest;
    assert.equal(digest.notes, 5000);
    assert.equal(digest.truncated, true);
  });

  test('createNote refuses an empty title, and a deal id that is not one, with the plugin\'s own codes', async () => {
    const ctx = { workspace: { id: 'w' }, actor: { type: 'member', id: 'm', name: 'Ada' }, host: {} } as unknown as PluginContext;
    assert.deepEqual(await plugin.routes.createNote(ctx, { params: { dealId: 'x' }, query: {}, body: { title: '  ' } }), {
      $mosaic: 'response',
      status: 400,
      body: { error: { code: 'DEAL_NOTES_TITLE_REQUIRED', message: 'A note needs a non-empty title.' } },
    });
    assert.deepEqual(await plugin.routes.createNote(ctx, { params: { dealId: 'not-a-uuid' }, query: {}, body: { title: 'Call back' } }), {
      $mosaic: 'response',
      status: 404,
      body: { error: { code: 'DEAL_NOTES_DEAL_NOT_FOUND', message: 'No deal has the id "not-a-uuid".' } },
    });
  });
});
