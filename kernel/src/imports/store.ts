import type { Knex } from '@mikro-orm/postgresql';
import type { Actor } from '../auth/context.js';
import { MosaicError } from '../errors/index.js';

/** Where an import is: waiting for its file (prepared for a plugin view), uploaded (waiting for its mapping), running, or ended. */
export type ImportStatus = 'awaiting_file' | 'uploaded' | 'running' | 'completed' | 'failed';

/** What happens to rows that cannot be imported. */
export type ErrorMode = 'abort' | 'skip';

/** The options an import was started with. */
export interface ImportSettings {
  readonly mapping: (string | null)[];
  readonly upsert_on: string | null;
  readonly on_error: ErrorMode;
  readonly date_order: 'dmy' | 'mdy';
}

/** One problem of the per-row report: the CSV line, the column and field (when it is about a cell) and why. */
export interface RowError {
  readonly row: number;
  readonly column: string | null;
  readonly field: string | null;
  readonly reason: string;
}

/** An import as the API shows it. */
export interface ImportJob {
  readonly id: string;
  readonly workspace_id: string;
  readonly object: string;
  readonly status: ImportStatus;
  readonly created_by: Actor;
  readonly file_name: string | null;
  readonly file_bytes: number;
  readonly headers: string[];
  readonly row_count: number;
  readonly preview: string[][];
  readonly settings: ImportSettings | null;
  readonly processed: number;
  readonly created: number;
  readonly updated: number;
  readonly failed: number;
  readonly errors: RowError[];
  readonly message: string | null;
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
}

/** Rows of the per-row report kept with an import; `failed` still counts every failed row. */
export const MAX_REPORTED_ERRORS = 10_000;

function toJob(row: Record<string, unknown>): ImportJob {
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  // The upload token's hash never leaves the store.
  const { upload_token_hash: _hash, upload_expires_at: _expires, updated_at: _heartbeat, ...job } = row;
  return { ...(job as unknown as ImportJob), file_bytes: Number(row.file_bytes), created_at: iso(row.created_at)!, started_at: iso(row.started_at), finished_at: iso(row.finished_at) };
}

/** Creates the job an upload is stored under; with a token hash, one that waits for its file. */
export async function createJob(knex: Knex, workspaceId: string, object: string, actor: Actor, fileName: string | null, ticket?: { hash: string; expiresAt: Date }): Promise<string> {
  const [row] = (await knex('import_job')
    .insert({
      workspace_id: workspaceId,
      object,
      status: ticket ? 'awaiting_file' : 'uploaded',
      created_by: JSON.stringify(actor),
      file_name: fileName,
      upload_token_hash: ticket?.hash ?? null,
      upload_expires_at: ticket?.expiresAt ?? null,
    })
    .returning('id')) as { id: string }[];
  return row.id;
}

/**
 * Takes the upload ticket of a job waiting for its file: true once for the right, unexpired token (the
 * token is cleared, so it cannot be used twice); the job then stays `awaiting_file` until stored.
 */
export async function takeTicket(knex: Knex, id: string, hash: string): Promise<{ workspaceId: string; object: string; actor: Actor } | undefined> {
  const rows = (await knex('import_job')
    .where({ id, status: 'awaiting_file', upload_token_hash: hash })
    .andWhere('upload_expires_at', '>', knex.fn.now())
    .update({ upload_token_hash: null })
    .returning(['workspace_id', 'object', 'created_by'])) as { workspace_id: string; object: string; created_by: Actor }[];
  return rows[0] ? { workspaceId: rows[0].workspace_id, object: rows[0].object, actor: rows[0].created_by } : undefined;
}

/** A running import whose progress has not moved for this long has lost its kernel process. */
export const STALLED_AFTER = '5 minutes';

/**
 * Ends imports whose kernel process stopped while they ran (a restart, a crash): running, with no
 * progress written for {@link STALLED_AFTER}. An all-or-nothing import wrote nothing (its transaction
 * died with the process); a skip import kept the batches it had committed, which its counts say.
 */
async function endStalled(knex: Knex, where: { id?: string; workspace_id: string }): Promise<void> {
  await knex('import_job')
    .where({ ...where, status: 'running' })
    .andWhereRaw(`updated_at < now() - interval '${STALLED_AFTER}'`)
    .update({
      status: 'failed',
      finished_at: knex.fn.now(),
      updated_at: knex.fn.now(),
      created: knex.raw(`case when settings->>'on_error' = 'skip' then created else 0 end`),
      updated: knex.raw(`case when settings->>'on_error' = 'skip' then updated else 0 end`),
      message: knex.raw(
        `case when settings->>'on_error' = 'skip' then 'The import was interrupted: the kernel process running it stopped. The rows counted as created or updated were imported; the rest were not. Import the rest again.' else 'The import was interrupted: the kernel process running it stopped. Nothing was imported (all or nothing); import the file again.' end`,
      ),
    });
}

/** An import of the caller's, or `MOSAIC_ERR_IMPORT_NOT_FOUND`: nobody sees another member's imports. */
export async function loadJob(knex: Knex, workspaceId: string, actor: Actor, id: string): Promise<ImportJob> {
  await endStalled(knex, { id, workspace_id: workspaceId });
  const row = (await knex('import_job').where({ id, workspace_id: workspaceId }).first()) as Record<string, unknown> | undefined;
  const owner = row?.created_by as Actor | undefined;
  if (!row || owner?.type !== actor.type || owner.id !== actor.id) throw new MosaicError('MOSAIC_ERR_IMPORT_NOT_FOUND');
  return toJob(row);
}

/** The caller's imports, newest first. */
export async function listJobs(knex: Knex, workspaceId: string, actor: Actor, object: string | undefined, limit: number): Promise<ImportJob[]> {
  await endStalled(knex, { workspace_id: workspaceId });
  const qb = knex('import_job')
    .where({ workspace_id: workspaceId })
    .whereRaw(`created_by->>'type' = ? and created_by->>'id' = ?`, [actor.type, actor.id])
    .orderBy('created_at', 'desc')
    .limit(limit);
  if (object) qb.andWhere({ object });
  // The per-row report can be long; a listing carries counts only.
  const rows = (await qb.select(knex.raw(`import_job.*, '[]'::jsonb as errors`))) as Record<string, unknown>[];
  return rows.map(toJob);
}

/** Sets columns of a job (and `updated_at`, the heartbeat of a running import). */
export async function updateJob(knex: Knex, id: string, values: Record<string, unknown>): Promise<void> {
  const row: Record<string, unknown> = { ...values, updated_at: knex.fn.now() };
  for (const key of ['headers', 'preview', 'settings', 'errors']) if (key in row) row[key] = JSON.stringify(row[key]);
  await knex('import_job').where({ id }).update(row);
}

/**
 * Moves an uploaded job to running, once: of two concurrent starts only one gets `true`, so the same
 * file is never imported twice.
 */
export async function claimJob(knex: Knex, id: string, settings: ImportSettings): Promise<boolean> {
  const count = await knex('import_job').where({ id, status: 'uploaded' }).update({ status: 'running', settings: JSON.stringify(settings), started_at: knex.fn.now() });
  return Number(count) === 1;
}
