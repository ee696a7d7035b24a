import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { isMosaicError, MosaicError } from '../../errors/index.js';
import type { McpCaller } from '../principal.js';
import { CORE_TOOLS, type CoreToolDeps } from './core.js';
import { coreToolDefinitions, type ToolDefinition } from './definitions.js';
import { checkPluginToolInput, invokePluginTool, pluginTools, type PluginTool } from './plugin-tools.js';

/** What `tools/call` answers (the MCP `CallToolResult`). */
export interface ToolResult {
  [key: string]: unknown;
  readonly content: { type: 'text'; text: string }[];
  readonly structuredContent?: Record<string, unknown>;
  readonly isError?: boolean;
}

let coreValidators: Map<string, ValidateFunction> | undefined;

/**
 * Validators of the kernel tools' arguments, compiled once. They use the schemas without the `object`
 * enum (which differs per workspace and role): the records layer answers an unknown object itself.
 */
function coreValidator(name: string): ValidateFunction | undefined {
  if (!coreValidators) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    coreValidators = new Map(coreToolDefinitions([]).map((d) => [d.name, ajv.compile(d.inputSchema)]));
  }
  return coreValidators.get(name);
}

function checkCoreInput(name: string, args: Record<string, unknown>): void {
  const validate = coreValidator(name)!;
  if (validate(args)) return;
  const details = (validate.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'invalid' }));
  throw new MosaicError('MOSAIC_ERR_MCP_TOOL_INPUT', `The arguments of ${name} do not match its input schema: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}.`, details);
}

/** A successful result: the JSON as text for every client, and as structured content for those that read it. */
function success(value: unknown): ToolResult {
  const structured = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : { result: value ?? null };
  return { content: [{ type: 'text', text: JSON.stringify(value ?? null, null, 2) }], structuredContent: structured };
}

/**
 * A failed call as an MCP tool error (`isError`), never a protocol error: the model reads the kernel's
 * error code and message and can correct itself. Unexpected faults are logged and reported as
 * `MOSAIC_ERR_INTERNAL`, without internals.
 */
function failure(error: unknown, log: CoreToolDeps['services']['log']): ToolResult {
  const known = isMosaicError(error) ? error : undefined;
  if (!known) log.error({ err: error }, 'MCP tool failed');
  const coded = known ?? new MosaicError('MOSAIC_ERR_INTERNAL');
  const details = coded.details.length > 0 ? `\n${coded.details.map((d) => `- ${d.path ? `${d.path}: ` : ''}${d.message}${d.code ? ` (${d.code})` : ''}`).join('\n')}` : '';
  return { content: [{ type: 'text', text: `${coded.code}: ${coded.message}${details}` }], isError: true };
}

/**
 * The tools one caller sees, built per request from the workspace's current metadata and plugins: a
 * schema change or a plugin enabled on any kernel process shows in the next `tools/list` (the metadata
 * and plugin caches follow the invalidation channel).
 */
export class ToolCatalog {
  readonly #deps: CoreToolDeps;
  readonly #caller: McpCaller;
  readonly #plugins: Map<string, PluginTool>;
  readonly definitions: readonly ToolDefinition[];

  private constructor(deps: CoreToolDeps, caller: McpCaller, core: ToolDefinition[], plugins: PluginTool[]) {
    this.#deps = deps;
    this.#caller = caller;
    this.#plugins = new Map(plugins.map((p) => [p.definition.name, p]));
    this.definitions = [...core, ...plugins.map((p) => p.definition)];
  }

  /** The catalog of `caller`: the kernel tools over the objects their role reads, and the plugin tools. */
  static async build(deps: CoreToolDeps, caller: McpCaller): Promise<ToolCatalog> {
    const { workspaceId } = caller.auth;
    const [metadata, plugins] = await Promise.all([deps.services.metadata.get(workspaceId), pluginTools(deps.services, workspaceId)]);
    const objects = [...metadata.objects.keys()].filter((name) => caller.roleAccess.object(name, 'read')).sort();
    return new ToolCatalog(deps, caller, coreToolDefinitions(objects), plugins);
  }

  /** Runs a tool; every failure is a tool error result. */
  async call(name: string, args: Record<string, unknown> | undefined): Promise<ToolResult> {
    const input = args ?? {};
    try {
      if (Object.hasOwn(CORE_TOOLS, name)) {
        checkCoreInput(name, input);
        return success(await CORE_TOOLS[name]!(this.#deps, this.#caller, input));
      }
      const plugin = this.#plugins.get(name);
      if (!plugin) throw new MosaicError('MOSAIC_ERR_MCP_TOOL_UNKNOWN', `There is no tool "${name}"; tools/list names the tools you can call.`);
      checkPluginToolInput(plugin, input);
      return success(await invokePluginTool(this.#deps, this.#caller, plugin, input));
    } catch (error) {
      return failure(error, this.#deps.services.log);
    }
  }
}
