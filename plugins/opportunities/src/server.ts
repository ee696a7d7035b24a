import { definePlugin, type PluginEvent } from '@mosaic/plugin-sdk';
import { computePipeline, OPPORTUNITY, type Pipeline } from './pipeline.js';
import { settledProbability } from './stages.js';

export { OPPORTUNITY, PipelineTotals, type Pipeline, type PipelineGroup, type StageTotals } from './pipeline.js';
export { STAGES, type Stage } from './stages.js';

const codeOf = (error: unknown): string | undefined => (error as { code?: string } | null)?.code;

/**
 * The server code of `opportunities`, run in the kernel's sandbox: the pipeline totals route, the same
 * totals as an MCP tool, and the handler that settles the probability of won and lost opportunities.
 */
export default definePlugin({
  routes: {
    /** GET /api/plugins/opportunities/pipeline → {@link Pipeline}. */
    async pipeline(ctx): Promise<Pipeline> {
      return computePipeline(ctx);
    },
    /**
     * The MCP tool `opportunities__pipeline_summary` (mcp_tools in the manifest): the same totals, for an
     * AI agent. The kernel runs it with this plugin's grant intersected with the agent's member, so an
     * agent whose member cannot read amounts gets a refusal instead of the sums.
     */
    async pipeline_summary(ctx): Promise<Pipeline> {
      return computePipeline(ctx);
    },
  },

  events: {
    /**
     * An opportunity was created, or its stage changed (the subscription's `fields: ["stage"]`): a won
     * one gets probability 100, a lost one 0. Events arrive at least once and possibly late, so the
     * handler reads the record as it is now instead of trusting the event's copy; the update it makes
     * changes `probability` only, which does not match the subscription, so it cannot loop.
     */
    async settleProbability(ctx, event: PluginEvent) {
      if (event.record_id === null || event.record_id === undefined) return;
      let current;
      try {
        current = await ctx.host.records.get(OPPORTUNITY, event.record_id);
      } catch (error) {
        if (codeOf(error) === 'MOSAIC_ERR_RECORD_NOT_FOUND') return; // deleted since
        throw error;
      }
      const probability = settledProbability(current.stage);
      if (probability !== null && current.probability !== probability) {
        await ctx.host.records.update(OPPORTUNITY, current.id, { probability });
      }
    },
  },
});
