import { createHash, randomBytes } from 'node:crypto';
import type { KernelServices } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import type { RecordCaller } from '../records/caller.js';
import { exportColumns } from '../records/export/index.js';
import { readableFields } from '../records/mapper.js';
import { planImport, runImport } from './run.js';
import { claimJob, createJob, listJobs, loadJob, takeTicket, updateJob, type ErrorMode, type ImportJob, type ImportSettings } from './store.js';
import { importTargets, suggestMapping, type ImportTarget } from './targets.js';
import { receiveUpload } from './upload.js';

/** An import target as the API lists it. */
export interface TargetJson {
  readonly key: string;
  readonly label: string;
  readonly type: string;
  readonly unique: boolean;
}

/** An import with what the mapping step needs: the fields it can go to and a suggested mapping. */
export interface ImportView extends ImportJob {
  readonly targets?: TargetJson[];
  readonly suggested_mapping?: (string | null)[];
  readonly ragged?: { row: number; cells: number }[];
}

/** What starting an import takes (see `docs/api.md`). */
export interface StartInput {
  readonly mapping: (string | null)[];
  readonly upsert_on?: string | null;
  readonly on_error?: ErrorMode;
  readonly date_order?: 'dmy' | 'mdy';
}

/** An object as an import/export page lists it. */
export interface ObjectJson {
  readonly name: string;
  readonly label_singular: string;
  readonly label_plural: string;
  /** Whether the caller's role may create its records (and so import). */
  readonly can_import: boolean;
  /** The fields the caller may read, in order: what an export's `fields=` can name. */
  readonly fields: { name: string; label: string; type: string }[];
  /** The columns of an export of every readable field. */
  readonly columns: { key: string; label: string }[];
}

/** A prepared import: where the browser sends the file (`PUT`, raw body), until when, and how large it may be. */
export interface PreparedImport {
  readonly id: string;
  readonly upload_url: string;
  readonly max_bytes: number;
  readonly expires_at: string;
}

const UPLOAD_TTL_MS = 60 * 60 * 1000;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const targetJson = (t: ImportTarget): TargetJson => ({ key: t.key, label: t.label, type: t.type, unique: t.sub === null && !t.money && (t.field.name === 'id' || t.field.isUnique) });

/**
 * CSV imports: upload (checked and analysed as it streams in), a mapping step, and a background run on
 * the uploader's role. The one code path for the HTTP API and the plugin host API.
 */
export class ImportService {
  readonly #services: KernelServices;
  /** Runs of this process, so shutdown can wait for them rather than cut a transaction off. */
  readonly #running = new Set<Promise<void>>();

  constructor(services: KernelServices) {
    this.#services = services;
  }

  /** Stores and analyses an upload for `object`; refuses the file (keeping nothing) when it is bad. */
  async upload(caller: RecordCaller, objectName: string, body: AsyncIterable<Uint8Array | string>, fileName: string | null): Promise<ImportView> {
    caller.access.assertObject(objectName, 'create');
    const object = await this.#services.metadata.object(caller.workspaceId, objectName);
    const knex = this.#services.db.knex;
    const id = await createJob(knex, caller.workspaceId, object.name, caller.actor, fileName);
    let analysis;
    try {
      analysis = await receiveUpload(knex, id, body, { maxBytes: this.#services.config.importMaxBytes, maxCell: this.#services.config.importMaxCell });
    } catch (error) {
      await knex('import_job').where({ id }).delete();
      throw error;
    }
    await updateJob(knex, id, { file_bytes: analysis.bytes, headers: analysis.headers, row_count: analysis.rows, preview: analysis.preview, failed: analysis.raggedCount });
    const job = await loadJob(knex, caller.workspaceId, caller.actor, id);
    return { ...(await this.#withTargets(caller, job)), ragged: analysis.ragged };
  }

  /**
   * Prepares an import whose file the member's browser sends straight to the kernel: a job waiting for
   * its file and a one-time upload URL, valid for an hour. This is how a plugin view uploads a file of up
   * to `IMPORT_MAX_BYTES` without it passing through the plugin's sandbox (`ctx.host.imports.prepare`).
   */
  async prepare(caller: RecordCaller, objectName: string, fileName: string | null): Promise<PreparedImport> {
    caller.access.assertObject(objectName, 'create');
    const object = await this.#services.metadata.object(caller.workspaceId, objectName);
    const token = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + UPLOAD_TTL_MS);
    const id = await createJob(this.#services.db.knex, caller.workspaceId, object.name, caller.actor, fileName, { hash: hashToken(token), expiresAt });
    return { id, upload_url: `/api/imports/${id}/file?token=${token}`, max_bytes: this.#services.config.importMaxBytes, expires_at: expiresAt.toISOString() };
  }

  /** Stores the file of a prepared import, authorised by its upload token alone (see {@link prepare}). */
  async uploadPrepared(id: string, token: string, body: AsyncIterable<Uint8Array | string>): Promise<ImportView> {
    const knex = this.#services.db.knex;
    const ticket = await takeTicket(knex, id, hashToken(token));
    if (!ticket) throw new MosaicError('MOSAIC_ERR_IMPORT_NOT_FOUND', 'No import waits for a file under this upload URL; it was used already or has expired. Prepare the import again.');
    let analysis;
    try {
      analysis = await receiveUpload(knex, id, body, { maxBytes: this.#services.config.importMaxBytes, maxCell: this.#services.config.importMaxCell });
    } catch (error) {
      await knex('import_job').where({ id }).delete();
      throw error;
    }
    await updateJob(knex, id, { status: 'uploaded', file_bytes: analysis.bytes, headers: analysis.headers, row_count: analysis.rows, preview: analysis.preview, failed: analysis.raggedCount });
    const job = await loadJob(knex, ticket.workspaceId, ticket.actor, id);
    return { ...job, ragged: analysis.ragged };
  }

  /** One of the caller's imports; while it waits for its mapping, with targets and a suggested mapping. */
  async get(caller: RecordCaller, id: string): Promise<ImportView> {
    const job = await loadJob(this.#services.db.knex, caller.workspaceId, caller.actor, id);
    return job.status === 'uploaded' ? this.#withTargets(caller, job) : job;
  }

  /**
   * The objects the caller may export (read) or import into (create), with the columns an export of
   * each offers — what an import/export page lists.
   */
  async objects(caller: RecordCaller): Promise<ObjectJson[]> {
    const workspace = await this.#services.metadata.get(caller.workspaceId);
    const list: ObjectJson[] = [];
    for (const object of workspace.objects.values()) {
      if (!caller.access.object(object.name, 'read')) continue;
      const { columns } = exportColumns(object, caller.access, undefined);
      list.push({
        name: object.name,
        label_singular: object.labelSingular,
        label_plural: object.labelPlural,
        can_import: caller.access.object(object.name, 'create'),
        fields: readableFields(object, caller.access).map((f) => ({ name: f.name, label: f.label, type: f.type })),
        columns: columns.map((c) => ({ key: c.key, label: c.label })),
      });
    }
    return list.sort((a, b) => a.label_plural.localeCompare(b.label_plural));
  }

  /** The caller's recent imports, newest first (counts, without the per-row report). */
  list(caller: RecordCaller, object: string | undefined, limit = 20): Promise<ImportJob[]> {
    return listJobs(this.#services.db.knex, caller.workspaceId, caller.actor, object, limit);
  }

  /** Checks the mapping, then runs the import in the background; answers at once with the running job. */
  async start(caller: RecordCaller, id: string, input: StartInput): Promise<ImportJob> {
    const knex = this.#services.db.knex;
    const job = await loadJob(knex, caller.workspaceId, caller.actor, id);
    if (job.status !== 'uploaded') throw new MosaicError('MOSAIC_ERR_IMPORT_STATE', `The import is ${job.status}; only an uploaded import can be started, once.`);
    const settings: ImportSettings = { mapping: input.mapping, upsert_on: input.upsert_on ?? null, on_error: input.on_error ?? 'abort', date_order: input.date_order ?? 'dmy' };
    const plan = await planImport(this.#services, job, caller, settings);
    if (!(await claimJob(knex, id, settings))) throw new MosaicError('MOSAIC_ERR_IMPORT_STATE', 'The import was started already.');
    const run = runImport(this.#services, plan).finally(() => this.#running.delete(run));
    this.#running.add(run);
    return loadJob(knex, caller.workspaceId, caller.actor, id);
  }

  /** Resolves when every import this process runs has ended (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  async #withTargets(caller: RecordCaller, job: ImportJob): Promise<ImportView> {
    const object = await this.#services.metadata.object(caller.workspaceId, job.object);
    const targets = importTargets(object, caller.access);
    return { ...job, targets: targets.map(targetJson), suggested_mapping: suggestMapping(job.headers, targets) };
  }
}

const perKernel = new WeakMap<KernelServices, ImportService>();

/** The kernel's one {@link ImportService}, shared by the HTTP routes and the plugin host API. */
export function importService(services: KernelServices): ImportService {
  let service = perKernel.get(services);
  if (!service) perKernel.set(services, (service = new ImportService(services)));
  return service;
}
