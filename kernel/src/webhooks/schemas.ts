import { MIN_SECRET_LENGTH } from './signature.js';
import { MAX_URL_LENGTH } from './url.js';

/** JSON schemas of the webhook routes. Semantic checks (URL targets) live in `url.ts`. */

/** Type patterns as the bus matches them: `*`, `record.*`, `record.created`, `<pluginId>.<name>`. */
const eventTypes = {
  type: 'array',
  maxItems: 50,
  uniqueItems: true,
  items: { type: 'string', minLength: 1, maxLength: 200, pattern: '^(\\*|[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(\\.\\*)?)$' },
} as const;

/** Object names; they need not exist yet, so a webhook can be set up before its object. */
const objects = { type: 'array', maxItems: 100, uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', maxLength: 48 } } as const;

const common = {
  url: { type: 'string', minLength: 1, maxLength: MAX_URL_LENGTH },
  description: { type: ['string', 'null'], maxLength: 500 },
  event_types: eventTypes,
  objects,
  enabled: { type: 'boolean' },
} as const;

/** `POST /api/webhooks`. */
export const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    ...common,
    // Printable ASCII without spaces: receivers in other languages then cannot disagree on the bytes
    // the HMAC key is made of.
    secret: { type: 'string', minLength: MIN_SECRET_LENGTH, maxLength: 256, pattern: '^[\\x21-\\x7e]+$' },
  },
} as const;

/** `PATCH /api/webhooks/:id`. */
export const updateBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { ...common, rotate_secret: { type: 'boolean' } },
} as const;

/** `:id` of every per-webhook route. */
export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;

/** `GET /api/webhooks/:id/deliveries`. */
export const deliveriesQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
} as const;
