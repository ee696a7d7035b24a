import type { Knex } from '@mikro-orm/postgresql';
import type { Actor } from '../auth/context.js';
import { MosaicError } from '../errors/index.js';
import type { BusEvent } from '../events/types.js';
import type { DeliveryResult } from './send.js';

/** A `webhook` row as PostgreSQL returns it (bigints and timestamps as text). */
export interface WebhookRow {
  readonly id: string;
  readonly workspace_id: string;
  readonly url: string;
  readonly description: string | null;
  /** Stored because every delivery is signed with it; never logged, never returned after creation. */
  readonly secret: string;
  readonly event_types: string[];
  readonly objects: string[];
  readonly enabled: boolean;
  readonly created_by: Actor | null;
  readonly created_at: string | Date;
  readonly updated_at: string | Date;
  /** The event head when the webhook was last disabled. */
  readonly paused_after_pos: string | null;
  /** The event head when it was last enabled again. */
  readonly resumed_at_pos: string | null;
}

/** A webhook as the API shows it: everything but the secret and the internal pause window. */
export interface WebhookView {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly event_types: string[];
  readonly objects: string[];
  readonly enabled: boolean;
  readonly created_by: Actor | null;
  readonly created_at: string;
  readonly updated_at: string;
}

/** One delivery attempt as the history shows it. */
export interface DeliveryView {
  readonly id: number;
  readonly event_id: string;
  readonly event_type: string;
  readonly attempt: number;
  readonly status_code: number | null;
  readonly latency_ms: number | null;
  readonly error: string | null;
  readonly created_at: string;
}

function iso(value: string | Date): string {
  return new Date(value).toISOString();
}

/** The public view of a row. Built field by field so a new column never leaks by accident. */
export function viewOf(row: WebhookRow): WebhookView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    event_types: row.event_types,
    objects: row.objects,
    enabled: row.enabled,
    created_by: row.created_by,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/** The bus subscriber that feeds a webhook. */
export function subscriberId(webhookId: string): string {
  return `webhook:${webhookId}`;
}

/** The webhook id behind a subscriber id, or undefined for anything else. */
export function webhookIdOf(subscriberId: string): string | undefined {
  const match = /^webhook:([0-9a-f-]{36})$/.exec(subscriberId);
  return match?.[1];
}

/** A workspace's webhook, or `MOSAIC_ERR_WEBHOOK_NOT_FOUND` — also for another workspace's id. */
export async function findWebhook(knex: Knex, workspaceId: string, id: string, forUpdate = false): Promise<WebhookRow> {
  const qb = knex('webhook').where({ id, workspace_id: workspaceId }).first();
  if (forUpdate) qb.forUpdate();
  const row = (await qb) as WebhookRow | undefined;
  if (!row) throw new MosaicError('MOSAIC_ERR_WEBHOOK_NOT_FOUND', `No webhook with id ${id} in this workspace.`);
  return row;
}

/** A webhook by id alone, for the deliverer (which learns the id from its subscriber). */
export async function loadWebhook(knex: Knex, id: string): Promise<WebhookRow | undefined> {
  return (await knex('webhook').where({ id }).first()) as WebhookRow | undefined;
}

/** A workspace's webhooks, oldest first. */
export async function listWebhooks(knex: Knex, workspaceId: string): Promise<WebhookRow[]> {
  return (await knex('webhook').where({ workspace_id: workspaceId }).orderBy([{ column: 'created_at' }, { column: 'id' }])) as WebhookRow[];
}

/**
 * Records one attempt. The attempt number is counted in the same statement (prior rows for this
 * webhook and event, plus one), so a retry on another kernel process numbers correctly too.
 */
export async function recordDelivery(knex: Knex, webhookId: string, event: Pick<BusEvent, 'id' | 'type'>, result: DeliveryResult): Promise<void> {
  await knex.raw(
    `insert into webhook_delivery (webhook_id, event_id, event_type, attempt, status_code, latency_ms, error)
     select ?, ?, ?, count(*) + 1, ?, ?, ? from webhook_delivery where webhook_id = ? and event_id = ?`,
    [webhookId, event.id, event.type, result.statusCode, result.latencyMs, result.error, webhookId, event.id],
  );
}

/** The latest attempts of a webhook, newest first. */
export async function listDeliveries(knex: Knex, webhookId: string, limit: number): Promise<DeliveryView[]> {
  const rows = (await knex('webhook_delivery')
    .where({ webhook_id: webhookId })
    .orderBy('id', 'desc')
    .limit(limit)
    .select('id', 'event_id', 'event_type', 'attempt', 'status_code', 'latency_ms', 'error', 'created_at')) as (Omit<DeliveryView, 'id' | 'created_at'> & { id: string; created_at: string | Date })[];
  return rows.map((r) => ({ ...r, id: Number(r.id), created_at: iso(r.created_at) }));
}
