/**
 * The MCP server: `/mcp` (Streamable HTTP, stateless), its Protected Resource Metadata, the kernel's
 * tools generated from workspace metadata, and the tools plugins contribute in their manifests.
 */
export { mcpRoutes } from './routes.js';
export { MCP_SCOPES, scopedAccess, type McpScope } from './scopes.js';
export { pluginToolName } from './tools/plugin-tools.js';
