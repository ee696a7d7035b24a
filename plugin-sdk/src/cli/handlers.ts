import { createContext, Script } from 'node:vm';
import type { PluginManifest } from '../manifest/index.js';
import { SdkError } from '../sdk-error.js';

/** The handler names a server bundle defines, per table. */
export interface BundleHandlers {
  readonly routes: readonly string[];
  readonly events: readonly string[];
  readonly jobs: readonly string[];
  readonly hooks: readonly string[];
}

/** How long evaluating the bundle's top level may take: it should only define functions. */
const EVAL_TIMEOUT_MS = 2000;

/**
 * Evaluates a server bundle the way the sandbox starts it — a classic script in a fresh global scope
 * without Node APIs — and reads the handler names off `globalThis.__mosaicPlugin`. Only the top level
 * runs; no handler is called. This runs the author's own code on their own machine, which is why a
 * Node `vm` context is enough here (it is no security boundary; the kernel's sandbox is).
 *
 * @throws SdkError `MOSAIC_ERR_CLI_BUNDLE_EVAL` when the script throws or assigns no handler tables.
 */
export function readBundleHandlers(code: string, filename: string): BundleHandlers {
  const context = createContext({});
  let plugin: unknown;
  try {
    new Script(code, { filename }).runInContext(context, { timeout: EVAL_TIMEOUT_MS });
    plugin = new Script('globalThis.__mosaicPlugin').runInContext(context);
  } catch (error) {
    throw new SdkError('MOSAIC_ERR_CLI_BUNDLE_EVAL', `Evaluating ${filename} threw: ${(error as Error)?.message ?? String(error)}`, [], { cause: error });
  }
  if (typeof plugin !== 'object' || plugin === null) {
    throw new SdkError('MOSAIC_ERR_CLI_BUNDLE_EVAL', `${filename} did not assign globalThis.__mosaicPlugin; call definePlugin({ routes, events, jobs }) in src/server.ts.`);
  }
  const read = (table: unknown): string[] =>
    typeof table === 'object' && table !== null ? Object.keys(table).filter((name) => typeof (table as Record<string, unknown>)[name] === 'function') : [];
  const tables = plugin as Record<string, unknown>;
  return { routes: read(tables.routes), events: read(tables.events), jobs: read(tables.jobs), hooks: read(tables.hooks) };
}

/** What {@link checkHandlers} found: handlers the bundle defines but no manifest entry names. */
export interface HandlerCheck {
  readonly unused: readonly string[];
}

/**
 * Checks that every handler the manifest names exists in the bundle's table of that kind.
 *
 * @throws SdkError `MOSAIC_ERR_CLI_HANDLER_MISSING` listing each missing handler with its manifest path.
 */
export function checkHandlers(manifest: PluginManifest, handlers: BundleHandlers): HandlerCheck {
  const missing: string[] = [];
  const named = { routes: new Set<string>(), events: new Set<string>(), jobs: new Set<string>() };
  for (const kind of ['routes', 'events', 'jobs'] as const) {
    (manifest[kind] ?? []).forEach((entry, index) => {
      named[kind].add(entry.handler);
      if (!handlers[kind].includes(entry.handler)) {
        missing.push(`${kind}[${index}].handler: "${entry.handler}" is not a function in ${kind} of definePlugin()`);
      }
    });
  }
  // An MCP tool is bound to a function of the routes table (it is invoked like a POST route).
  (manifest.mcp_tools ?? []).forEach((tool, index) => {
    named.routes.add(tool.handler);
    if (!handlers.routes.includes(tool.handler)) missing.push(`mcp_tools[${index}].handler: "${tool.handler}" is not a function in routes of definePlugin()`);
  });
  if (missing.length > 0) {
    const count = missing.length === 1 ? 'a handler' : `${missing.length} handlers`;
    throw new SdkError('MOSAIC_ERR_CLI_HANDLER_MISSING', `The manifest names ${count} the server bundle does not define.`, missing);
  }
  const unused = (['routes', 'events', 'jobs'] as const).flatMap((kind) => handlers[kind].filter((name) => !named[kind].has(name)).map((name) => `${kind}.${name}`));
  return { unused };
}
