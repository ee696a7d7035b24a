import type { Knex } from '@mikro-orm/postgresql';

/** Rows deleted per statement, so pruning never holds long locks. */
const CHUNK = 10_000;

/**
 * Prunes the outbox: events every enabled subscriber has passed and older than the retention period, and
 * any event older than the hard limit (a subscriber that far behind lost them; its dead letters and
 * positions say so). Returns how many events were deleted.
 *
 * Record events (those with an `object_id`) are never pruned: they are the records' history, read by the
 * timeline. Only the other events (metadata, members, plugins' own) go, found through their own index.
 */
export async function pruneEvents(knex: Knex, retentionHours: number, maxDays: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = (await knex.raw(
      `delete from event where seq in (
         select seq from event
         where object_id is null
           and pos is not null
           and ((created_at < now() - (? || ' hours')::interval
                 and pos <= coalesce((select min(position) from event_subscriber where enabled), pos))
             or created_at < now() - (? || ' days')::interval)
         order by seq
         limit ${CHUNK})`,
      [String(retentionHours), String(maxDays)],
    )) as { rowCount: number };
    total += rowCount;
    if (rowCount < CHUNK) return total;
  }
}
