import { definePlugin, PluginError, type PluginContext, type PluginRecord } from '@mosaic/plugin-sdk';

/** The fields this plugin adds to `company` (see mosaic-plugin.json). */
export interface EnrichedCompany extends PluginRecord {
  readonly name: string;
  readonly domain: string | null;
  readonly enriched_industry: string | null;
  readonly enriched_employees: number | null;
  readonly enriched_at: string | null;
}

/** What the enrichment API answers for `GET <api_url>/companies?domain=<domain>`. */
interface ApiAnswer {
  readonly industry?: unknown;
  readonly employees?: unknown;
}

/**
 * Asks the enrichment API about the company's domain and writes what it knows onto the company. A
 * company without a domain, or one the API does not know (404), is left as it is. Any other failure
 * throws, so an event delivery is retried by the kernel.
 */
export async function enrich(ctx: PluginContext, companyId: string): Promise<EnrichedCompany | null> {
  const company = await ctx.host.records.get<EnrichedCompany>('company', companyId);
  if (!company.domain) return null;
  const { api_url } = await ctx.host.settings.get<{ api_url: string }>();
  const res = await ctx.host.http.fetch(`${api_url.replace(/\/+$/, '')}/companies?domain=${encodeURIComponent(company.domain)}`, { headers: { accept: 'application/json' } });
  if (res.status === 404) return null;
  if (res.status !== 200 || typeof res.json !== 'object' || res.json === null) {
    throw new PluginError('COMPANY_ENRICHMENT_API_FAILED', `The enrichment API answered ${res.status} for ${company.domain}.`, 502);
  }
  const answer = res.json as ApiAnswer;
  return ctx.host.records.update<EnrichedCompany>('company', companyId, {
    enriched_industry: typeof answer.industry === 'string' ? answer.industry.slice(0, 200) : null,
    enriched_employees: typeof answer.employees === 'number' && Number.isInteger(answer.employees) ? answer.employees : null,
    enriched_at: new Date().toISOString(),
  });
}

const fields = (company: EnrichedCompany) => ({
  id: company.id,
  industry: company.enriched_industry,
  employees: company.enriched_employees,
  enriched_at: company.enriched_at,
});

/**
 * The plugin's server code. Each handler is named by the manifest and runs in the kernel's sandbox:
 * everything outside goes through ctx.host, limited to the manifest's permissions (outbound HTTP only
 * to the allow-listed API).
 */
export default definePlugin({
  routes: {
    /** GET /api/plugins/company-enrichment/companies/:id: what the Enrichment tab shows. */
    async getEnrichment(ctx, { params }) {
      return fields(await ctx.host.records.get<EnrichedCompany>('company', params.id!));
    },

    /** POST /api/plugins/company-enrichment/companies/:id/refresh */
    async refresh(ctx, { params }) {
      const updated = await enrich(ctx, params.id!);
      if (!updated) throw new PluginError('COMPANY_ENRICHMENT_UNKNOWN', 'The enrichment API knows nothing about this company (or it has no domain).', 404);
      return fields(updated);
    },
  },

  events: {
    /** A company was created: enrich it. Delivery is at least once; enriching twice is harmless. */
    async onCompanyCreated(ctx, event) {
      if (event.record_id) await enrich(ctx, event.record_id);
    },
  },
});
