import type { Access } from '../roles/index.js';
import { createBody, deliveriesQuery, idParams, updateBody } from '../webhooks/schemas.js';
import { addOperation, dataOf, object, orNull, pathParam, queryParam, ref, type Json, type Paths } from './common.js';

/**
 * The event bus and webhooks: the routes of events/routes.ts (capability `events`) and
 * webhooks/routes.ts (capability `webhooks`), shown only to roles holding the capability. Webhook
 * bodies are imported from webhooks/schemas.ts so their limits cannot drift; the events routes keep
 * their schemas module-local, so those are restated here.
 */

const uuid = { type: 'string', format: 'uuid' };
const nullableUuid = { type: ['string', 'null'], format: 'uuid' };
const dateTime = { type: 'string', format: 'date-time' };
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' };
const nullableText = { type: ['string', 'null'] };
const count = { type: 'integer', minimum: 0 };
const names = { type: 'array', items: { type: 'string' } };

/** `auth/context.ts` `Actor`; inline rather than a component so no object name is taken from workspaces. */
const actor = object({ type: { enum: ['member', 'api_key', 'plugin', 'system'] }, id: { type: 'string' }, name: { type: 'string' } });

const webhookProperties: Record<string, Json> = {
  id: uuid,
  url: { type: 'string', description: 'Normalised when saved: the fragment is dropped.' },
  description: nullableText,
  event_types: { ...names, description: 'Type patterns (`record.created`, `record.*`, `*`); empty means every type.' },
  objects: { ...names, description: 'Object names; empty means every object.' },
  enabled: { type: 'boolean' },
  created_by: orNull(actor),
  created_at: dateTime,
  updated_at: dateTime,
};
const secret = { type: 'string', description: 'The signing secret: shown in this answer only, never again.' };

const deadLetterProperties: Record<string, Json> = {
  id: uuid,
  subscriber_id: { type: 'string', description: 'The subscriber that gave up on the event; a webhook is `webhook:<id>`.' },
  event_id: uuid,
  event_type: { type: 'string' },
  object: nullableText,
  record_id: nullableUuid,
  attempts: { ...count, description: 'Delivery attempts before the event was dead-lettered.' },
  last_error: nullableText,
  created_at: dateTime,
  replayed_at: { ...nullableDateTime, description: 'When a replay last succeeded.' },
  replay_attempts: count,
};

/** The component schemas the routes below use. */
export const EVENT_SCHEMAS: Record<string, Json> = {
  BusEvent: object({
    id: { ...uuid, description: 'The idempotency key: the same event may be delivered twice.' },
    position: { type: 'integer', description: 'Orders events globally.' },
    workspace_id: uuid,
    type: { type: 'string', description: '`record.created`, `field.added`, `member.removed`, `<pluginId>.<name>`, …' },
    object: nullableText,
    record_id: nullableUuid,
    actor: orNull(actor),
    occurred_at: dateTime,
    payload: { type: 'object', description: 'Record events: `{ record }`; `record.updated` adds `changed_fields`, `before` and `after`. Other events: their own payload.' },
  }),
  EventSubscriber: object({
    id: { type: 'string' },
    kind: { type: 'string', description: '`handler` (in the kernel), `webhook`, or a kind a module registers.' },
    scope: { enum: ['workspace', 'kernel'], description: "`kernel` subscribers receive every workspace's events." },
    filter: object(
      { types: names, objects: names, fields: names, workspaceId: uuid },
      { optional: ['types', 'objects', 'fields', 'workspaceId'], description: 'Which events it receives; every present condition must hold.' },
    ),
    enabled: { type: 'boolean' },
    position: { ...count, description: 'The last event position it has handled.' },
    lag: { ...count, description: 'Events written since that position (before filtering).' },
    attempts: { ...count, description: 'Failed attempts at its current event.' },
    last_error: { ...nullableText, description: 'Always null for kernel subscribers.' },
    next_attempt_at: { ...nullableDateTime, description: 'When a retry is due.' },
  }),
  DeadLetter: object(deadLetterProperties),
  DeadLetterWithEvent: object({ ...deadLetterProperties, event: ref('BusEvent') }),
  Webhook: object(webhookProperties, { description: 'A webhook; reads never show its secret.' }),
  WebhookWithSecret: object({ ...webhookProperties, secret }),
  WebhookDelivery: object({
    id: { type: 'integer' },
    event_id: uuid,
    event_type: { type: 'string' },
    attempt: { type: 'integer', minimum: 1, description: 'Counts the attempts at this event, replays and tests included.' },
    status_code: { type: ['integer', 'null'], description: "The receiver's status; null when no answer arrived." },
    latency_ms: { type: ['integer', 'null'] },
    error: { ...nullableText, description: 'Why the attempt failed (at most the first 1 KB of an error answer); null on success.' },
    created_at: dateTime,
  }),
  WebhookTestResult: object({
    event_id: uuid,
    delivered: { type: 'boolean', description: 'The receiver answered 2xx within the time limit.' },
    status_code: { type: ['integer', 'null'] },
    latency_ms: { type: 'integer' },
    error: nullableText,
  }),
};

/** Adds descriptions to an imported body schema without restating its limits. */
function described(schema: { readonly properties: Record<string, unknown> }, descriptions: Record<string, string>): Json {
  const properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, k in descriptions ? { ...(v as Json), description: descriptions[k] } : v]));
  return { ...structuredClone(schema as unknown as Json), properties };
}

const bodyText: Record<string, string> = {
  url: 'An absolute http or https URL without credentials. Loopback, private, link-local and reserved targets are refused (`MOSAIC_ERR_WEBHOOK_URL_FORBIDDEN`) unless the server sets `WEBHOOK_ALLOW_PRIVATE=true`.',
  event_types: 'Type patterns: `record.created`, `record.*` or `*`. Empty or absent: every type.',
  objects: 'Object names (they need not exist yet). Empty or absent: every object; events without an object never pass a non-empty list.',
  enabled: 'A webhook switched on receives events from then on, never those from while it was off. Default true.',
  secret: 'Your own signing secret; a `whsec_…` secret is generated when left out.',
  rotate_secret: 'true replaces the secret with a generated one, returned in this answer once; the old one stops working at once.',
};

const webhookId = pathParam('id', idParams.properties.id, 'The webhook id.');
const deadLetterId = pathParam('id', uuid, 'The dead letter id.');

/** `/api/events`: subscribers and dead letters. */
function subscriberPaths(paths: Paths): void {
  const tag = 'Events';
  addOperation(paths, '/api/events/subscribers', 'get', {
    id: 'events.listSubscribers',
    summary: "List the subscribers that receive this workspace's events, with their lag",
    tag,
    ok: { status: 200, description: 'Workspace and kernel subscribers.', schema: dataOf({ type: 'array', items: ref('EventSubscriber') }) },
    errors: [403],
  });
  addOperation(paths, '/api/events/dead-letters', 'get', {
    id: 'events.listDeadLetters',
    summary: 'List dead letters: deliveries that failed every attempt',
    description: 'Newest first, without the full event.',
    tag,
    parameters: [
      queryParam('subscriber_id', { type: 'string', maxLength: 300 }, "Only this subscriber's, e.g. `webhook:<id>`."),
      queryParam('limit', { type: 'integer', minimum: 1, maximum: 500, default: 100 }, 'How many.'),
    ],
    ok: { status: 200, description: 'The dead letters.', schema: dataOf({ type: 'array', items: ref('DeadLetter') }) },
    errors: [400, 403],
  });
  addOperation(paths, '/api/events/dead-letters/{id}', 'get', {
    id: 'events.getDeadLetter',
    summary: 'Get a dead letter with its full event',
    tag,
    parameters: [deadLetterId],
    ok: { status: 200, description: 'The dead letter.', schema: dataOf(ref('DeadLetterWithEvent')) },
    errors: [400, 403, 404],
  });
  addOperation(paths, '/api/events/dead-letters/{id}/replay', 'post', {
    id: 'events.replayDeadLetter',
    summary: 'Deliver a dead letter again',
    description: 'Synchronously, through the same subscriber. 502 when it fails again (the dead letter is kept); 503 when the subscriber runs in no deliverer of this kernel process.',
    tag,
    parameters: [deadLetterId],
    ok: { status: 200, description: 'Delivered; `replayed_at` is set.', schema: dataOf(ref('DeadLetter')) },
    errors: [400, 403, 404, 502, 503],
  });
  addOperation(paths, '/api/events/dead-letters/{id}', 'delete', {
    id: 'events.deleteDeadLetter',
    summary: 'Discard a dead letter',
    tag,
    parameters: [deadLetterId],
    ok: { status: 204, description: 'Discarded.' },
    errors: [400, 403, 404],
  });
}

/** `/api/webhooks`: webhooks, their delivery history and test pings. */
function webhookPaths(paths: Paths): void {
  const tag = 'Webhooks';
  const webhook = { status: 200 as const, description: 'The webhook.', schema: dataOf(ref('Webhook')) };
  addOperation(paths, '/api/webhooks', 'get', {
    id: 'webhooks.list',
    summary: 'List webhooks',
    description: 'Oldest first, without their secrets.',
    tag,
    ok: { status: 200, description: 'The webhooks.', schema: dataOf({ type: 'array', items: ref('Webhook') }) },
    errors: [403],
  });
  addOperation(paths, '/api/webhooks', 'post', {
    id: 'webhooks.create',
    summary: 'Create a webhook',
    description: 'It receives events from now on. The answer holds the signing `secret` once.',
    tag,
    body: described(createBody, bodyText),
    ok: { status: 201, description: 'The webhook with its secret.', schema: dataOf(ref('WebhookWithSecret')) },
    errors: [400, 403],
  });
  addOperation(paths, '/api/webhooks/{id}', 'get', { id: 'webhooks.get', summary: 'Get a webhook', tag, parameters: [webhookId], ok: webhook, errors: [400, 403, 404] });
  addOperation(paths, '/api/webhooks/{id}', 'patch', {
    id: 'webhooks.update',
    summary: 'Change a webhook or rotate its secret',
    tag,
    parameters: [webhookId],
    body: described(updateBody, bodyText),
    ok: { ...webhook, description: 'The webhook; with `rotate_secret: true`, also its new secret (once).', schema: dataOf({ anyOf: [ref('Webhook'), ref('WebhookWithSecret')] }) },
    errors: [400, 403, 404],
  });
  addOperation(paths, '/api/webhooks/{id}', 'delete', {
    id: 'webhooks.delete',
    summary: 'Delete a webhook',
    description: 'With its delivery history and its dead letters.',
    tag,
    parameters: [webhookId],
    ok: { status: 204, description: 'Deleted.' },
    errors: [400, 403, 404],
  });
  addOperation(paths, '/api/webhooks/{id}/deliveries', 'get', {
    id: 'webhooks.listDeliveries',
    summary: 'List delivery attempts, newest first',
    tag,
    parameters: [webhookId, queryParam('limit', deliveriesQuery.properties.limit, 'How many.')],
    ok: { status: 200, description: 'The attempts.', schema: dataOf({ type: 'array', items: ref('WebhookDelivery') }) },
    errors: [400, 403, 404],
  });
  addOperation(paths, '/api/webhooks/{id}/test', 'post', {
    id: 'webhooks.test',
    summary: 'Send a `webhook.test` event now',
    description: 'Whatever the filters, even when disabled; answered here, never retried, recorded in the delivery history.',
    tag,
    parameters: [webhookId],
    ok: { status: 200, description: 'How the receiver answered.', schema: dataOf(ref('WebhookTestResult')) },
    errors: [400, 403, 404],
  });
}

/** The tags of the routes this role is shown. */
export function eventTags(access: Access): Json[] {
  return [
    ...(access.can('events') ? [{ name: 'Events', description: 'Event subscribers and dead letters.' }] : []),
    ...(access.can('webhooks')
      ? [
          {
            name: 'Webhooks',
            description:
              'Webhooks POST a `BusEvent` to your URL, signed: `x-mosaic-signature` is `v1=` and the hex HMAC-SHA256 of `<x-mosaic-timestamp>.<raw body>` under the secret. Failed deliveries are retried, then dead-lettered as subscriber `webhook:<id>`.',
          },
        ]
      : []),
  ];
}

/** The event and webhook paths this role may call. */
export function eventPaths(access: Access): Paths {
  const paths: Paths = {};
  if (access.can('events')) subscriberPaths(paths);
  if (access.can('webhooks')) webhookPaths(paths);
  return paths;
}
