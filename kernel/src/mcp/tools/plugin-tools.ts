import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { PluginManifest } from '@mosaic/plugin-sdk';
import type { KernelServices } from '../../app/services.js';
import { MosaicError } from '../../errors/index.js';
import { createHostBridge } from '../../plugins/host/bridge.js';
import { DEFAULT_MAX_ROWS } from '../../plugins/host/common.js';
import { pluginActor } from '../../plugins/host/records.js';
import type { PluginInstallation } from '../../plugins/store.js';
import type { RecordService } from '../../records/service.js';
import type { McpCaller } from '../principal.js';
import type { ToolDefinition } from './definitions.js';
import { narrowedRecords } from './narrowed-records.js';

/** A tool entry of a manifest's `mcp_tools`. */
type ManifestMcpTool = NonNullable<PluginManifest['mcp_tools']>[number];

/** Separates the plugin from the tool in a plugin tool's name: `opportunities__pipeline_summary`. */
export const PLUGIN_TOOL_SEPARATOR = '__';

/**
 * The MCP name of a plugin's tool. Dots of the plugin id become `_` (ids never hold `_`, tool names
 * never hold `__`, so the name maps back unambiguously): some model APIs accept only `[A-Za-z0-9_-]`
 * in tool names, so the `<id>.<name>` form used elsewhere in the kernel would not reach them.
 */
export function pluginToolName(pluginId: string, tool: string): string {
  return `${pluginId.replace(/\./g, '_')}${PLUGIN_TOOL_SEPARATOR}${tool}`;
}

/** A plugin tool of one installation. */
export interface PluginTool {
  readonly installation: PluginInstallation;
  readonly tool: ManifestMcpTool;
  readonly definition: ToolDefinition;
}

/** The tools of the workspace's enabled plugins, from the running (granted) version's manifest. */
export async function pluginTools(services: KernelServices, workspaceId: string): Promise<PluginTool[]> {
  const installations = await services.plugins.installations(workspaceId);
  return installations
    .filter((i) => i.enabled)
    .flatMap((installation) =>
      (installation.manifest.mcp_tools ?? []).map((tool) => ({
        installation,
        tool,
        definition: {
          name: pluginToolName(installation.pluginId, tool.name),
          title: `${installation.manifest.name}: ${tool.name.replace(/_/g, ' ')}`,
          description: tool.description,
          inputSchema: tool.input_schema as ToolDefinition['inputSchema'],
        },
      })),
    );
}

let ajv: Ajv2020 | undefined;
/** Compiled input schemas by plugin revision and tool: a revision's manifest never changes. */
const validators = new Map<string, ValidateFunction>();
const MAX_VALIDATORS = 1000;

/** Checks a plugin tool's arguments against its `input_schema` (validated at install, so it compiles). */
export function checkPluginToolInput(entry: PluginTool, args: Record<string, unknown>): void {
  const key = `${entry.installation.pluginId}@${entry.installation.revision}#${entry.tool.name}`;
  let validate = validators.get(key);
  if (!validate) {
    if (!ajv) {
      ajv = new Ajv2020({ strict: false, allErrors: true });
      (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    }
    validate = ajv.compile(entry.tool.input_schema);
    if (validators.size >= MAX_VALIDATORS) validators.clear();
    validators.set(key, validate);
  }
  if (!validate(args)) {
    const details = (validate.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'invalid' }));
    throw new MosaicError('MOSAIC_ERR_MCP_TOOL_INPUT', `The arguments of ${entry.definition.name} do not match its input schema: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}.`, details);
  }
}

/** A `respond()` envelope, as plugin route handlers may answer. */
interface Envelope {
  readonly $mosaic: 'response';
  readonly status?: number;
  readonly body?: unknown;
  readonly text?: string;
}

const isEnvelope = (value: unknown): value is Envelope =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && (value as Record<string, unknown>).$mosaic === 'response';

/**
 * Runs a plugin tool: its handler (a function of the server bundle's `routes` table) in the plugin's
 * sandbox, in the caller's workspace. The host API acts as the plugin, with the plugin's grant
 * intersected with the caller's role and token scopes; `ctx.actor` is the caller. The handler gets the
 * route input shape with the arguments as `body` and `path` `/mcp/<tool>`. A `respond()` envelope with
 * an error status becomes a tool error carrying the body's code.
 */
export async function invokePluginTool(deps: { services: KernelServices; records: RecordService }, caller: McpCaller, entry: PluginTool, args: Record<string, unknown>): Promise<unknown> {
  const { installation, tool } = entry;
  const { plugins } = deps.services;
  // Same as the runtime's own invoke: a reset on another process clears this process's paused copy.
  const status = plugins.sandboxes.status(installation.pluginId, installation.revision);
  if (status?.state === 'degraded' && installation.error === null && status.lastErrorAt !== null && installation.updatedAt.getTime() > Date.parse(status.lastErrorAt)) {
    plugins.sandboxes.reset(installation.pluginId, installation.revision);
  }
  const sandbox = await plugins.sandboxes.get(installation);
  const actor = pluginActor(installation.manifest);
  const ended = new AbortController();
  let result: unknown;
  try {
    result = await sandbox.invoke({
      workspaceId: installation.workspaceId,
      kind: 'routes',
      handler: tool.handler,
      input: { method: 'POST', path: `/mcp/${tool.name}`, params: {}, query: {}, body: args },
      actor: caller.auth.actor,
      host: createHostBridge({
        services: deps.services,
        records: narrowedRecords(deps.records, caller.auth.access),
        manifest: installation.manifest,
        workspaceId: installation.workspaceId,
        actor,
        invocation: { kind: 'routes', handler: tool.handler },
        rows: { used: 0, max: DEFAULT_MAX_ROWS },
        signal: ended.signal,
        member: caller.auth,
      }),
    });
  } finally {
    ended.abort();
  }
  if (!isEnvelope(result)) return result;
  const answered = result.status ?? 200;
  if (answered < 400) return result.text ?? result.body ?? null;
  const error = (result.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const message = typeof error?.message === 'string' ? error.message : `The tool answered with status ${answered}.`;
  throw new MosaicError('MOSAIC_ERR_PLUGIN_ERROR', message, typeof error?.code === 'string' ? [{ path: `routes.${tool.handler}`, message, code: error.code }] : []);
}
