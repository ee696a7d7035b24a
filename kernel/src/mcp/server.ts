import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ToolCatalog } from './tools/catalog.js';

/** How the server introduces itself in `initialize`. */
const SERVER_INFO = { name: 'mosaic-crm', title: 'Mosaic CRM', version: '1.0.0' };

const INSTRUCTIONS =
  'Mosaic CRM: objects (tables) of records. Start with list_objects and describe_object to learn the data model, ' +
  'then find_records (filter grammar, order_by, cursors), get_record and search to read, and create_record, update_record ' +
  'and delete_record to write. Errors carry the CRM error code (MOSAIC_ERR_…) and a message saying what to change.';

/**
 * An MCP server for one request, answering from the caller's tool catalog. The endpoint is stateless:
 * each HTTP request gets its own server and transport, so any kernel process behind a load balancer can
 * answer any request and nothing lives between them.
 */
export function mcpServer(catalog: ToolCatalog): Server {
  // listChanged is not offered: a stateless server has no stream to push the notification on; the
  // catalog is rebuilt from current metadata for every tools/list instead.
  const server = new Server(SERVER_INFO, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: catalog.definitions.map((d) => ({ ...d })) }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => catalog.call(request.params.name, request.params.arguments));
  return server;
}
