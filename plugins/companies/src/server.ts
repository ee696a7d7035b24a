import { definePlugin, PluginError, type PluginContext, type PluginRecord } from '@mosaic/plugin-sdk';

/** The object this plugin contributes and owns (see mosaic-plugin.json). */
export const COMPANY = 'company';

/**
 * Objects of the other core plugins that point at a company through a `company` relation, counted by the
 * overview. Plugins refer to each other's objects by name only; when one is not installed its object
 * does not exist (or was not granted) and its count is null.
 */
export const RELATED = { people: 'person', opportunities: 'opportunity' } as const;

/** What `GET /overview/:id` answers. A type alias so it stays assignable to JSON. */
export type Overview = {
  readonly company: PluginRecord;
  /** Live records related to the company per object, or null when that object is not there. */
  readonly related: { readonly [K in keyof typeof RELATED]: number | null };
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const codeOf = (error: unknown): string | undefined => (error as { code?: string } | null)?.code;

/** The company a route names, or the plugin's 404: a malformed id and a missing company look the same. */
export async function companyOf(ctx: PluginContext, id: string | undefined): Promise<PluginRecord> {
  const missing = () => new PluginError('COMPANIES_NOT_FOUND', `No company has the id "${id ?? ''}".`, 404);
  if (id === undefined || !UUID.test(id)) throw missing();
  try {
    return await ctx.host.records.get(COMPANY, id);
  } catch (error) {
    if (codeOf(error) === 'MOSAIC_ERR_RECORD_NOT_FOUND') throw missing();
    throw error;
  }
}

/** How many live records of `object` relate to the company; null when the object is not installed. */
async function countRelated(ctx: PluginContext, object: string, companyId: string): Promise<number | null> {
  try {
    // One row at most crosses the bridge: the count comes from `total_count`.
    const page = await ctx.host.records.find(object, { filter: `company_id[eq]:${companyId}`, limit: 1, fields: ['id'], count: true });
    return page.total_count ?? page.data.length;
  } catch (error) {
    if (codeOf(error) === 'MOSAIC_ERR_OBJECT_NOT_FOUND') return null;
    throw error;
  }
}

/**
 * The server code of `companies`, run in the kernel's sandbox. The object itself needs no code: the
 * records API validates and stores companies. The one route gathers what the overview tab shows.
 */
export default definePlugin({
  routes: {
    /** GET /api/plugins/companies/overview/:id → {@link Overview}. */
    async overview(ctx, { params }): Promise<Overview> {
      const company = await companyOf(ctx, params.id);
      const [people, opportunities] = await Promise.all([
        countRelated(ctx, RELATED.people, company.id),
        countRelated(ctx, RELATED.opportunities, company.id),
      ]);
      return { company, related: { people, opportunities } };
    },
  },
});
