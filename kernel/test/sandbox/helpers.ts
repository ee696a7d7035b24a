import type { Test } from 'tap';
import type { Actor } from '../../src/auth/context.js';
import { PluginSandbox, type HostBridge, type InvokeRequest, type PluginSandboxOptions } from '../../src/sandbox/index.js';

export const ADA: Actor = { type: 'member', id: 'mem_ada', name: 'Ada' };

/** A plugin bundle as the SDK would emit it: `routes` handlers given as source text. */
export function routesPlugin(routes: string, prelude = ''): string {
  return `${prelude}\nglobalThis.__mosaicPlugin = { routes: { ${routes} }, events: {}, jobs: {} };`;
}

/** A sandbox torn down with the test. */
export function sandbox(t: Test, script: string, options: Partial<PluginSandboxOptions> = {}): PluginSandbox {
  const box = new PluginSandbox({ pluginId: 'acme', script, ...options });
  t.teardown(() => box.dispose());
  return box;
}

/** A fake host API that records every call and answers with `answer`. */
export function recordingHost(answer: (capability: string, method: string, args: unknown[]) => unknown = () => ({ ok: true })): {
  host: HostBridge;
  calls: { capability: string; method: string; args: unknown[] }[];
} {
  const calls: { capability: string; method: string; args: unknown[] }[] = [];
  const host: HostBridge = async (capability, method, args) => {
    calls.push({ capability, method, args });
    return answer(capability, method, args);
  };
  return { host, calls };
}

const noHost: HostBridge = async () => null;

/** Call a route handler with sensible defaults. */
export function route(box: PluginSandbox, handler: string, input: unknown = {}, more: Partial<InvokeRequest> = {}): Promise<unknown> {
  return box.invoke({ workspaceId: 'ws_1', kind: 'routes', handler, input, actor: ADA, host: noHost, ...more });
}

/** The coded error a promise rejects with, or a failure if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string; statusCode: number; details: unknown[] }> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return error as { code: string; message: string; statusCode: number; details: unknown[] };
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(value)?.slice(0, 200)}`);
}

/** Largest gap between ticks of a 5 ms interval on the host's event loop while `during` runs. */
export async function maxTickGap<T>(during: () => Promise<T>): Promise<{ result: T; gapMs: number }> {
  let last = performance.now();
  let gapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    gapMs = Math.max(gapMs, now - last);
    last = now;
  }, 5);
  try {
    const result = await during();
    return { result, gapMs };
  } finally {
    clearInterval(timer);
  }
}
