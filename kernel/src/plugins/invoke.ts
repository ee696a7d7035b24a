import type { KernelServices } from '../app/services.js';
import type { Actor } from '../auth/context.js';
import type { RecordCaller } from '../records/caller.js';
import type { RecordService } from '../records/service.js';
import type { HandlerKind, SandboxLimits } from '../sandbox/index.js';
import { createHostBridge } from './host/bridge.js';
import { DEFAULT_MAX_ROWS } from './host/common.js';
import { pluginActor } from './host/records.js';
import type { SandboxPool } from './sandboxes.js';
import type { PluginInstallation } from './store.js';

/** One call of a plugin handler. */
export interface PluginCall {
  readonly installation: PluginInstallation;
  readonly kind: HandlerKind;
  readonly handler: string;
  readonly input: unknown;
  /** For event handlers: the plugin event handlers that led to this one (see `Actor.chain`). */
  readonly chain?: number;
  /** Who called, visible to the handler as `ctx.actor` (a route's member or API key); default the plugin. */
  readonly caller?: Actor;
  /** A route's caller with their role, for host capabilities that act for them (`imports`). */
  readonly member?: RecordCaller;
  readonly limits?: Partial<SandboxLimits>;
  /** Records the invocation may read or write through the host API (default {@link DEFAULT_MAX_ROWS}). */
  readonly maxRows?: number;
}

/**
 * Runs a plugin handler in the plugin's sandbox, in the installation's workspace, with the host API bound
 * to the installation: its grants, its workspace, and the plugin as the actor of whatever it does.
 */
export async function invokePlugin(deps: { services: KernelServices; records: RecordService; sandboxes: SandboxPool }, call: PluginCall): Promise<unknown> {
  const { installation } = call;
  const sandbox = await deps.sandboxes.get(installation);
  const actor = pluginActor(installation.manifest, call.chain);
  const ended = new AbortController();
  try {
    return await sandbox.invoke({
      workspaceId: installation.workspaceId,
      kind: call.kind,
      handler: call.handler,
      input: call.input,
      // The handler sees who called; what it does through the host API is done as the plugin.
      actor: call.caller ?? actor,
      ...(call.limits ? { limits: call.limits } : {}),
      host: createHostBridge({
        services: deps.services,
        records: deps.records,
        manifest: installation.manifest,
        workspaceId: installation.workspaceId,
        actor,
        invocation: { kind: call.kind, handler: call.handler },
        rows: { used: 0, max: call.maxRows ?? DEFAULT_MAX_ROWS },
        signal: ended.signal,
        ...(call.member ? { member: call.member } : {}),
      }),
    });
  } finally {
    ended.abort();
  }
}
