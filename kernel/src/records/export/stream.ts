import type { KernelServices } from '../../app/services.js';
import type { RecordCaller } from '../caller.js';
import { MAX_LIMIT } from '../find.js';
import { memberEmails } from '../members.js';
import type { RecordService } from '../service.js';
import { exportColumns, type HeaderMode } from './columns.js';
import { BOM, csvCell, csvRow } from './csv.js';

/** What to export: a view's filter, order and visible columns. */
export interface ExportQuery {
  readonly filter?: string;
  readonly orderBy?: string;
  readonly fields?: readonly string[];
  readonly header?: HeaderMode;
}

/** A started export: the file name to offer and the CSV text, produced page by page as it is read. */
export interface CsvExport {
  readonly filename: string;
  readonly body: AsyncIterable<string>;
}

/**
 * Exports every record a query matches as CSV, with no row cap: keyset pages of {@link MAX_LIMIT}
 * through the {@link RecordService}, so the caller's role decides which records and fields are read, as
 * for a listing. The first page is read before anything is returned, so a bad filter or an unreadable
 * object is an ordinary coded error rather than a broken download. After that the body is pulled: a
 * page is read only when the previous one has been consumed, which keeps memory bounded by one page
 * however slow the client is. Records added while the export runs after the current position appear in
 * it; the keyset order never repeats or skips a record that existed when the export started.
 */
export async function exportCsv(deps: { records: RecordService; services: KernelServices }, caller: RecordCaller, objectName: string, query: ExportQuery): Promise<CsvExport> {
  caller.access.assertObject(objectName, 'read');
  const object = await deps.services.metadata.object(caller.workspaceId, objectName);
  const { columns, projection } = exportColumns(object, caller.access, query.fields, await memberEmails(deps.services.db.knex, object, caller.workspaceId));
  const page = (startingAfter: string | undefined) =>
    deps.records.find(caller, objectName, { filter: query.filter, orderBy: query.orderBy, fields: projection, limit: MAX_LIMIT, startingAfter });
  const first = await page(undefined);
  const header = csvRow(columns.map((c) => csvCell(query.header === 'key' ? c.key : c.label)));

  async function* body(): AsyncGenerator<string> {
    yield BOM + header;
    let current = first;
    for (;;) {
      let text = '';
      for (const record of current.data) text += csvRow(columns.map((c) => csvCell(c.read(record))));
      if (text) yield text;
      if (!current.pageInfo.hasNextPage || !current.pageInfo.endCursor) return;
      current = await page(current.pageInfo.endCursor);
    }
  }
  const stamp = new Date().toISOString().slice(0, 10);
  return { filename: `${object.name}-${stamp}.csv`, body: body() };
}
