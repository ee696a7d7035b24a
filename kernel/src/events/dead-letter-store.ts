import type { Knex } from '@mikro-orm/postgresql';
import type { SubscriberRow } from './subscriber-store.js';
import type { BusEvent } from './types.js';

/** A delivery that failed every attempt, kept with the full event so it can be inspected and replayed. */
export interface DeadLetterRow {
  readonly id: string;
  readonly subscriber_id: string;
  readonly workspace_id: string | null;
  readonly event_id: string;
  readonly event_pos: string;
  readonly event: BusEvent;
  readonly attempts: number;
  readonly last_error: string | null;
  readonly created_at: string;
  readonly replayed_at: string | null;
  readonly replay_attempts: number;
}

/** Stores a dead letter. The event is copied, so pruning the outbox never loses it. */
export async function deadLetter(knex: Knex, subscriber: SubscriberRow, event: BusEvent, attempts: number, error: string): Promise<void> {
  await knex('dead_letter').insert({
    subscriber_id: subscriber.id,
    workspace_id: event.workspace_id,
    event_id: event.id,
    event_pos: event.position,
    event: JSON.stringify(event),
    attempts,
    last_error: error.slice(0, 2000),
  });
}
