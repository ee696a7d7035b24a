import { definePlugin, PluginError, type PluginContext, type PluginRecord } from '@mosaic/plugin-sdk';

/** The object this plugin contributes and owns (see mosaic-plugin.json). */
export const PERSON = 'person';
/** The object of `companies`, a dependency; people point at it through `company` (`company_id`). */
export const COMPANY = 'company';

/** A person as the people route answers it. */
export type PersonRow = {
  readonly id: string;
  readonly full_name: { readonly first_name: string | null; readonly last_name: string | null } | null;
  readonly job_title: string | null;
  readonly email: string | null;
  readonly phone: string | null;
  readonly city: string | null;
  readonly avatar: string | null;
};

/** What `GET /companies/:id/people` answers: one page, and the cursor of the next when there is one. */
export type PeoplePage = { readonly data: PersonRow[]; readonly next_cursor: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAGE = 50;
const codeOf = (error: unknown): string | undefined => (error as { code?: string } | null)?.code;

/** Checks that the company exists, so a wrong id is a 404 rather than an empty list. */
async function requireCompany(ctx: PluginContext, id: string | undefined): Promise<string> {
  const missing = () => new PluginError('PEOPLE_COMPANY_NOT_FOUND', `No company has the id "${id ?? ''}".`, 404);
  if (id === undefined || !UUID.test(id)) throw missing();
  try {
    await ctx.host.records.get(COMPANY, id);
    return id;
  } catch (error) {
    if (codeOf(error) === 'MOSAIC_ERR_RECORD_NOT_FOUND') throw missing();
    throw error;
  }
}

/** The flat shape the tab lists: the primary email and phone of the composite fields. */
function row(person: PluginRecord): PersonRow {
  const primary = (value: unknown) => ((value as { primary?: string | null } | null)?.primary ?? null);
  return {
    id: person.id,
    full_name: (person.full_name as PersonRow['full_name']) ?? null,
    job_title: (person.job_title as string | null) ?? null,
    email: primary(person.emails),
    phone: primary(person.phones),
    city: (person.city as string | null) ?? null,
    avatar: (person.avatar as string | null) ?? null,
  };
}

/**
 * The server code of `people`, run in the kernel's sandbox. Storing people needs no code; the route
 * answers the company page's People tab.
 */
export default definePlugin({
  routes: {
    /** GET /api/plugins/people/companies/:id/people[?after=<cursor>] → {@link PeoplePage}. */
    async companyPeople(ctx, { params, query }): Promise<PeoplePage> {
      const companyId = await requireCompany(ctx, params.id);
      const after = typeof query.after === 'string' && query.after !== '' ? query.after : undefined;
      const page = await ctx.host.records.find(PERSON, {
        filter: `company_id[eq]:${companyId}`,
        order_by: 'full_name.last_name[AscNullsLast],full_name.first_name[AscNullsLast]',
        limit: PAGE,
        fields: ['full_name', 'job_title', 'emails', 'phones', 'city', 'avatar'],
        ...(after ? { starting_after: after } : {}),
      });
      return { data: page.data.map(row), next_cursor: page.page_info.has_next_page ? page.page_info.end_cursor : null };
    },
  },
});
