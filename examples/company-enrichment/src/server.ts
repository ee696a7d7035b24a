import { definePlugin, PluginError, respond, type PluginRecord, type RouteInput } from '@mosaic/plugin-sdk';

/** The object this plugin contributes (see mosaic-plugin.json). */
export const NOTE = 'company_enrichment_note';

/** A note as the records API returns it. */
export interface Note extends PluginRecord {
  readonly title: string;
  readonly body: string | null;
}

/**
 * The plugin's server code. Each handler is named by the manifest and runs in the kernel's sandbox:
 * no Node APIs, no timers; everything outside goes through ctx.host, limited to the manifest's
 * permissions.
 */
export default definePlugin({
  routes: {
    /** GET /api/plugins/company-enrichment/notes?limit=20 */
    async listNotes(ctx, { query }) {
      const limit = Math.min(Math.max(Number(query.limit) || 20, 1), 100);
      const page = await ctx.host.records.find<Note>(NOTE, { limit, order_by: 'created_at[Desc]' });
      return { data: page.data.map((note) => ({ id: note.id, title: note.title, body: note.body })), has_more: page.page_info.has_next_page };
    },

    /** POST /api/plugins/company-enrichment/notes { title, body? } → 201 with the note. */
    async createNote(ctx, { body }: RouteInput<{ title?: unknown; body?: unknown } | null>) {
      const title = typeof body?.title === 'string' ? body.title.trim() : '';
      if (title === '') throw new PluginError('COMPANY_ENRICHMENT_TITLE_REQUIRED', 'A note needs a non-empty title.', 400);
      const note = await ctx.host.records.create<Note>(NOTE, { title, body: typeof body?.body === 'string' ? body.body : null });
      return respond({ status: 201, body: note });
    },

    /** GET /api/plugins/company-enrichment/stats */
    async stats(ctx) {
      return { notes_created: (await ctx.host.kv.get<number>('notes_created')) ?? 0, last_summary: await ctx.host.kv.get('last_summary') };
    },
  },

  events: {
    /** A note was created, by this plugin or anyone else. Delivery is at least once; a throw means retry. */
    async onNoteCreated(ctx, event) {
      const total = await ctx.host.kv.increment('notes_created');
      await ctx.host.log.info('note created', { record_id: event.record_id, total });
    },
  },

  jobs: {
    /** Every morning at 06:00 UTC. */
    async dailySummary(ctx, { scheduled_for }) {
      const page = await ctx.host.records.find(NOTE, { limit: 1, count: true });
      await ctx.host.kv.set('last_summary', { at: scheduled_for, notes: page.total_count ?? 0 });
    },
  },
});
