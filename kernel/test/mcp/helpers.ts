import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { FastifyInstance } from 'fastify';
import type { Session } from '../helpers/auth.js';

/** The repository's first-party plugins folder. */
export const PLUGINS_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../plugins');

/** Installs first-party plugins by folder name, granting what each manifest asks for, as an admin would. */
export async function installCorePlugins(app: FastifyInstance, owner: Session, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const path = join(PLUGINS_DIR, id);
    const manifest = JSON.parse(await readFile(join(path, 'mosaic-plugin.json'), 'utf8')) as { permissions?: unknown };
    const res = await app.inject({ method: 'POST', url: '/api/plugins', headers: owner.headers, payload: { path, grant: manifest.permissions ?? {} } });
    if (res.statusCode !== 201) throw new Error(`could not install ${id}: ${res.statusCode} ${res.body}`);
  }
}

/** The official MCP client connected to `<base>/mcp` with a bearer token (an API key here). */
export async function connectClient(base: string, token: string): Promise<Client> {
  const client = new Client({ name: 'mosaic-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL('/mcp', base), { requestInit: { headers: { authorization: `Bearer ${token}` } } });
  await client.connect(transport);
  return client;
}

/** What a tool call answered, typed loosely for assertions. */
export interface CallResult {
  readonly isError?: boolean;
  readonly content: { type: string; text: string }[];
  readonly structuredContent?: any;
}

/** Calls a tool and returns its result (tool errors are results, not exceptions). */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<CallResult> {
  return (await client.callTool({ name, arguments: args })) as CallResult;
}

/** The text of a tool error, which starts with the kernel's error code. */
export function errorText(result: CallResult): string {
  if (!result.isError) throw new Error(`expected a tool error, got ${JSON.stringify(result.structuredContent)}`);
  return result.content[0]!.text;
}
