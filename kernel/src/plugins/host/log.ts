import { bridgeError, isPlainObject, type HostCapability, type HostContext } from './common.js';

/** Longest message kept; plugin log lines are clipped rather than refused. */
const MAX_MESSAGE = 2000;

/**
 * `ctx.host.log`: `info`, `warn` and `error(message, data?)` into the kernel log, tagged with the plugin
 * and the workspace so operators can tell whose line it is. Needs no permission.
 */
export function logCapability(context: HostContext): HostCapability {
  const tags = { pluginId: context.manifest.id, workspaceId: context.workspaceId, handler: `${context.invocation.kind}.${context.invocation.handler}` };
  const write = (level: 'info' | 'warn' | 'error') => async (message: unknown, data: unknown) => {
    if (typeof message !== 'string') throw bridgeError('log', 'the message must be a string');
    if (data !== undefined && data !== null && !isPlainObject(data)) throw bridgeError('log', 'data must be an object');
    // The plugin's data goes under its own key, so it cannot overwrite the tags.
    context.services.log[level]({ ...tags, ...(data ? { data } : {}) }, message.slice(0, MAX_MESSAGE));
    return null;
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
