import { definePlugin, PluginError, respond, type PluginContext, type PluginRecord, type RouteInput } from '@mosaic/plugin-sdk';

/** The object this plugin contributes and owns (see mosaic-plugin.json). */
export const NOTE = 'deal_note';
/** The admin-created object the plugin extends with `note_count`; it must exist before install. */
export const DEAL = 'deal';
/** The kv key the nightly job writes and `GET /digest` reads. */
export const DIGEST_KEY = 'last_digest';

/** A note as the records API returns it. */
export interface DealNote extends PluginRecord {
  readonly title: string;
  readonly body: string | null;
  readonly deal_id: string | null;
}

/**
 * What the nightly job stores: how many notes each deal got in the 24 hours before the slot. A type
 * alias, not an interface, so it is assignable to the `JsonValue` that `kv.set` takes.
 */
export type Digest = {
  readonly scheduled_for: string;
  readonly since: string;
  readonly notes: number;
  readonly deals: { readonly deal_id: string; readonly notes: number }[];
  /** True when there were more notes than one run reads (see `DIGEST_PAGES`). */
  readonly truncated: boolean;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 24 * 3600_000;
// An invocation may make 200 host calls; ten pages of 500 keeps the job far below that.
const DIGEST_PAGES = 10;

/** The filter of a deal's notes. Ids are checked as UUIDs first, so nothing odd reaches the grammar. */
function ofDeal(dealId: string): string {
  return `deal_id[eq]:${dealId}`;
}

/** The deal a route names, or a 404 of the plugin's own: a bad id and a missing deal look the same. */
async function dealOf(ctx: PluginContext, dealId: string | undefined): Promise<PluginRecord> {
  if (dealId === undefined || !UUID.test(dealId)) throw new PluginError('DEAL_NOTES_DEAL_NOT_FOUND', `No deal has the id "${dealId ?? ''}".`, 404);
  try {
    return await ctx.host.records.get(DEAL, dealId);
  } catch (error) {
    if ((error as { code?: string }).code === 'MOSAIC_ERR_RECORD_NOT_FOUND') throw new PluginError('DEAL_NOTES_DEAL_NOT_FOUND', `No deal has the id "${dealId}".`, 404);
    throw error;
  }
}

/**
 * The plugin's server code, run in the kernel's sandbox: no Node APIs and no timers; everything outside
 * goes through `ctx.host`, limited to what the admin granted (read and update on `deal`, its own
 * `deal_note` records, `record.created` events and a key-value store).
 */
export default definePlugin({
  routes: {
    /** GET /api/plugins/deal-notes/deals/:dealId/notes?limit=20 */
    async listNotes(ctx, { params, query }) {
      const deal = await dealOf(ctx, params.dealId);
      const limit = Math.min(Math.max(Number(query.limit) || 20, 1), 100);
      const page = await ctx.host.records.find<DealNote>(NOTE, { filter: ofDeal(deal.id), order_by: 'created_at[Desc]', limit });
      return { data: page.data.map((n) => ({ id: n.id, title: n.title, body: n.body, created_at: n.created_at })), has_more: page.page_info.has_next_page };
    },

    /** POST /api/plugins/deal-notes/deals/:dealId/notes { title, body? } → 201 with the note. */
    async createNote(ctx, { params, body }: RouteInput<{ title?: unknown; body?: unknown } | null>) {
      const title = typeof body?.title === 'string' ? body.title.trim() : '';
      if (title === '') throw new PluginError('DEAL_NOTES_TITLE_REQUIRED', 'A note needs a non-empty title.', 400);
      const deal = await dealOf(ctx, params.dealId);
      const note = await ctx.host.records.create<DealNote>(NOTE, { title, body: typeof body?.body === 'string' ? body.body : null, deal_id: deal.id });
      return respond({ status: 201, body: note });
    },

    /** GET /api/plugins/deal-notes/digest → the latest digest, or null before the first night. */
    async digest(ctx) {
      return { digest: await ctx.host.kv.get(DIGEST_KEY) };
    },
  },

  events: {
    /**
     * A note was created — through the route, the records API or an import. Events arrive at least once
     * and not while the plugin is disabled, so the handler recounts the deal's notes rather than adding
     * one: a repeated event changes nothing, and a missed one is made good by the next note.
     */
    async onNoteCreated(ctx, event) {
      const record = event.payload.record as Partial<DealNote> | undefined;
      const dealId = record?.deal_id;
      if (typeof dealId !== 'string') return;
      const page = await ctx.host.records.find(NOTE, { filter: ofDeal(dealId), limit: 1, count: true, fields: ['id'] });
      try {
        await ctx.host.records.update(DEAL, dealId, { note_count: page.total_count ?? 0 });
      } catch (error) {
        // The deal was deleted since: nothing to count on; anything else is retried.
        if ((error as { code?: string }).code !== 'MOSAIC_ERR_RECORD_NOT_FOUND') throw error;
      }
    },
  },

  jobs: {
    /** Every night at 02:00 UTC: the notes of the 24 hours before the slot, per deal, into kv. */
    async nightlyDigest(ctx, { scheduled_for }) {
      const since = new Date(Date.parse(scheduled_for) - DAY_MS).toISOString();
      const filter = `and(created_at[gte]:"${since}",created_at[lt]:"${scheduled_for}")`;
      const perDeal = new Map<string, number>();
      let notes = 0;
      let cursor: string | undefined;
      let truncated = false;
      for (let page = 0; ; page++) {
        if (page === DIGEST_PAGES) {
          truncated = true;
          break;
        }
        const found = await ctx.host.records.find<DealNote>(NOTE, { filter, limit: 500, fields: ['deal_id'], order_by: 'created_at[Asc]', ...(cursor ? { starting_after: cursor } : {}) });
        for (const note of found.data) {
          notes++;
          if (note.deal_id) perDeal.set(note.deal_id, (perDeal.get(note.deal_id) ?? 0) + 1);
        }
        if (!found.page_info.has_next_page || !found.page_info.end_cursor) break;
        cursor = found.page_info.end_cursor;
      }
      const deals = [...perDeal].map(([deal_id, count]) => ({ deal_id, notes: count })).sort((a, b) => b.notes - a.notes || a.deal_id.localeCompare(b.deal_id));
      const digest: Digest = { scheduled_for, since, notes, deals, truncated };
      await ctx.host.kv.set(DIGEST_KEY, digest);
    },
  },
});
