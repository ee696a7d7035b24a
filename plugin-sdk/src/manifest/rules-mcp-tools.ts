import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { asList, asRecord, asString, type RuleContext } from './context.js';
import { formatPath } from './problems.js';
import { handlerProblem } from './patterns.js';

let toolAjv: Ajv2020 | undefined;

/**
 * MCP tools: handler names, input schemas that compile (an invalid `pattern` or unknown `format` would
 * otherwise fail only when an agent calls the tool), unique names, and the server bundle their handlers
 * live in.
 */
export function checkMcpTools(ctx: RuleContext): void {
  const tools = asList(ctx.manifest.mcp_tools).map((entry) => asRecord(entry));
  const seen = new Map<string, string>();
  tools.forEach((tool, index) => {
    const handler = asString(tool?.handler);
    const reason = handler === undefined ? null : handlerProblem(handler);
    if (reason) ctx.report('MOSAIC_ERR_MANIFEST_HANDLER', ['mcp_tools', index, 'handler'], reason);

    const name = asString(tool?.name);
    if (name !== undefined) {
      const first = seen.get(name);
      if (first !== undefined) ctx.report('MOSAIC_ERR_MANIFEST_DUPLICATE', ['mcp_tools', index, 'name'], `The MCP tool "${name}" is declared twice (first at ${first}).`);
      else seen.set(name, formatPath(['mcp_tools', index, 'name']));
    }

    const schema = asRecord(tool?.input_schema);
    if (schema && schema.type === 'object') {
      if (!toolAjv) {
        toolAjv = new Ajv2020({ strict: false, allErrors: true });
        (addFormats as unknown as (ajv: Ajv2020) => void)(toolAjv);
      }
      try {
        toolAjv.compile(schema);
      } catch (error) {
        ctx.report('MOSAIC_ERR_MANIFEST_SCHEMA', ['mcp_tools', index, 'input_schema'], `The input schema does not compile: ${(error as Error).message}`);
      } finally {
        // ajv caches every compiled schema; manifests come and go in a long-running kernel.
        toolAjv.removeSchema(schema);
      }
    }
  });
  if (tools.length > 0 && ctx.manifest.server === undefined) {
    ctx.report('MOSAIC_ERR_MANIFEST_BUNDLE_MISSING', ['server'], 'The manifest declares mcp_tools but no "server" bundle to run their handlers.');
  }
}
