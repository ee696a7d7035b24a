import type { McpScope } from './scopes.js';

/**
 * The scope each kernel tool needs. Listing tools (and `initialize`, `ping`, notifications) needs only a
 * valid token: a client must see what it could do before it asks the member for more.
 */
export const TOOL_SCOPES: Readonly<Record<string, McpScope>> = Object.freeze({
  list_objects: 'metadata:read',
  describe_object: 'metadata:read',
  find_records: 'records:read',
  get_record: 'records:read',
  search: 'records:read',
  create_record: 'records:write',
  update_record: 'records:write',
  delete_record: 'records:write',
});

/** Plugin tools read through the plugin, on the caller's behalf: they need `records:read`. */
export const PLUGIN_TOOL_SCOPE: McpScope = 'records:read';

/** The scope a `tools/call` of `name` needs; unknown names need nothing here (the server answers them). */
export function toolScope(name: string): McpScope | undefined {
  if (Object.hasOwn(TOOL_SCOPES, name)) return TOOL_SCOPES[name];
  return name.includes('__') ? PLUGIN_TOOL_SCOPE : undefined;
}

/**
 * The scopes a JSON-RPC body (one message or a batch) needs, read before the MCP transport sees it,
 * so that a missing scope is answered with HTTP 403 and a step-up challenge rather than a tool error
 * the client could not act on. Malformed bodies need nothing: the transport rejects them itself.
 */
export function requiredScopes(body: unknown): McpScope[] {
  const messages = Array.isArray(body) ? body : [body];
  const needed = new Set<McpScope>();
  for (const message of messages) {
    if (typeof message !== 'object' || message === null) continue;
    const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
    if (method !== 'tools/call' || typeof params?.name !== 'string') continue;
    const scope = toolScope(params.name);
    if (scope) needed.add(scope);
  }
  return [...needed].sort();
}
