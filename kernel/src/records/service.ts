import type { KernelServices } from '../app/services.js';
import { aggregateRecords, type AggregateQuery, type AggregateResult } from './aggregate.js';
import type { RecordCaller } from './caller.js';
import { batchRecords, type BatchInput, type BatchResult } from './batch.js';
import { embedRelations } from './depth.js';
import { findRecords, getRecord, type DeletedMode, type FindQuery, type FindResult } from './find.js';
import type { RecordData } from './mapper.js';
import { mergeRecords, type MergeInput, type MergeResult } from './merge.js';
import { createRecord, deleteRecord, restoreRecord, updateRecord } from './write.js';

/**
 * The records API as a service: the one code path for reading and writing CRM records, shared by the
 * HTTP routes, realtime and the plugin host API, so validation and permissions cannot drift apart.
 */
export class RecordService {
  readonly #services: KernelServices;

  constructor(services: KernelServices) {
    this.#services = services;
  }

  get #knex() {
    return this.#services.db.knex;
  }

  /**
   * Runs a records operation, retrying once with fresh metadata when the database says a column or
   * table is missing. That happens only when a schema change committed between reading the cached
   * metadata and running the query; the failed statement changed nothing, so running it again is safe.
   */
  async #write<T>(caller: RecordCaller, work: () => Promise<T>): Promise<T> {
    const result = await this.#fresh(caller, work);
    this.#services.bus.written();
    return result;
  }

  async #fresh<T>(caller: RecordCaller, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== '42703' && code !== '42P01') throw err;
      this.#services.metadata.evict(caller.workspaceId);
      return work();
    }
  }

  /** Counts and totals records per group (`GROUP BY` in the database). */
  aggregate(caller: RecordCaller, objectName: string, query: AggregateQuery): Promise<AggregateResult> {
    return this.#fresh(caller, async () => aggregateRecords(this.#knex, await this.#services.metadata.object(caller.workspaceId, objectName), caller, query));
  }

  /** Lists records; with `depth` 1, related records are embedded. */
  find(caller: RecordCaller, objectName: string, query: FindQuery & { depth?: number }): Promise<Omit<FindResult, 'rows'>> {
    return this.#fresh(caller, () => this.#find(caller, objectName, query));
  }

  async #find(caller: RecordCaller, objectName: string, query: FindQuery & { depth?: number }): Promise<Omit<FindResult, 'rows'>> {
    caller.access.assertObject(objectName, 'read');
    const workspace = this.#services.metadata.peek(caller.workspaceId) ?? (await this.#services.metadata.get(caller.workspaceId));
    const object = await this.#services.metadata.object(caller.workspaceId, objectName);
    const { rows, ...result } = await findRecords(this.#knex, object, caller, query);
    if (query.depth === 1) await embedRelations(this.#knex, workspace, object, caller, result.data, rows);
    return result;
  }

  /** Reads one record. */
  get(caller: RecordCaller, objectName: string, id: string, options: { fields?: readonly string[]; depth?: number; deleted?: DeletedMode } = {}): Promise<RecordData> {
    return this.#fresh(caller, () => this.#get(caller, objectName, id, options));
  }

  async #get(caller: RecordCaller, objectName: string, id: string, options: { fields?: readonly string[]; depth?: number; deleted?: DeletedMode }): Promise<RecordData> {
    caller.access.assertObject(objectName, 'read');
    const workspace = this.#services.metadata.peek(caller.workspaceId) ?? (await this.#services.metadata.get(caller.workspaceId));
    const object = await this.#services.metadata.object(caller.workspaceId, objectName);
    const { data, row } = await getRecord(this.#knex, object, caller, id, options);
    if (options.depth === 1) await embedRelations(this.#knex, workspace, object, caller, [data], [row]);
    return data;
  }

  /** Creates a record. */
  async create(caller: RecordCaller, objectName: string, body: unknown): Promise<RecordData> {
    caller.access.assertObject(objectName, 'create');
    return this.#write(caller, async () => createRecord(this.#knex, await this.#services.metadata.object(caller.workspaceId, objectName), caller, body));
  }

  /** Updates a record. */
  async update(caller: RecordCaller, objectName: string, id: string, body: unknown): Promise<RecordData> {
    caller.access.assertObject(objectName, 'update');
    return this.#write(caller, async () => updateRecord(this.#knex, await this.#services.metadata.object(caller.workspaceId, objectName), caller, id, body));
  }

  /** Soft-deletes (or destroys) a record. */
  async delete(caller: RecordCaller, objectName: string, id: string, destroy = false): Promise<RecordData> {
    caller.access.assertObject(objectName, 'delete');
    return this.#write(caller, async () => deleteRecord(this.#knex, await this.#services.metadata.object(caller.workspaceId, objectName), caller, id, destroy));
  }

  /** Restores a soft-deleted record. */
  async restore(caller: RecordCaller, objectName: string, id: string): Promise<RecordData> {
    caller.access.assertObject(objectName, 'delete');
    return this.#write(caller, async () => restoreRecord(this.#knex, await this.#services.metadata.object(caller.workspaceId, objectName), caller, id));
  }

  /** Creates or upserts up to 1,000 records atomically. */
  async batch(caller: RecordCaller, objectName: string, input: BatchInput): Promise<BatchResult> {
    caller.access.assertObject(objectName, 'create');
    return this.#write(caller, async () => batchRecords(this.#knex, await this.#services.metadata.object(caller.workspaceId, objectName), caller, input));
  }

  /** Merges up to 9 records into a survivor, re-pointing every relation to them (see `merge.ts`). */
  async merge(caller: RecordCaller, objectName: string, input: MergeInput): Promise<MergeResult> {
    caller.access.assertObject(objectName, 'update');
    caller.access.assertObject(objectName, 'delete');
    return this.#write(caller, async () => {
      const workspace = await this.#services.metadata.get(caller.workspaceId);
      return mergeRecords(this.#knex, workspace, await this.#services.metadata.object(caller.workspaceId, objectName), caller, input);
    });
  }
}
