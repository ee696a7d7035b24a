import { EVENT_PATTERN } from './patterns.js';
import { ANY_OBJECT, ANY_OBJECT_OPERATIONS, FIELD_TYPES, OBJECT_SLOTS, RECORD_OPERATIONS, ROUTE_METHODS, VIEW_SLOTS } from './types.js';

/**
 * The published JSON Schema (draft 2020-12) of a plugin manifest. `manifest.schema.json` at the package
 * root is generated from this constant by `scripts/write-schema.ts` (a test keeps the two equal).
 *
 * The schema gives editors completion and catches the shape; `validateManifest` adds what a schema cannot
 * say (semver, cron, permissions a contribution needs, duplicates) and gives those problems their own codes.
 */

type Json = Readonly<Record<string, unknown>>;

/** Object and field names, as the kernel's metadata accepts them. */
export const NAME_PATTERN = '^[a-z](?:[a-z0-9]|_(?=[a-z0-9]))*$';
/** Plugin ids: 1 to 3 dot-separated lower-case words. */
export const ID_PATTERN = '^[a-z][a-z0-9-]{1,30}(\\.[a-z][a-z0-9-]{1,30}){0,2}$';
/** The semver.org version grammar. */
const SEMVER_PATTERN =
  '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$';
const IDENTIFIER_PATTERN = '^[A-Za-z_$][A-Za-z0-9_$]*$';
const ROUTE_SEGMENT = '(?:[A-Za-z0-9._~-]+|:[A-Za-z_][A-Za-z0-9_]*)';
const ROUTE_PATTERN = `^/(?:${ROUTE_SEGMENT}(?:/${ROUTE_SEGMENT})*)?$`;
const ELEMENT_PATTERN = '^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$';
const PACKAGE_PATH_PATTERN = '^(?!/)[A-Za-z0-9._@/-]+$';
const SECRET_PATTERN = '^[A-Z][A-Z0-9_]*$';

const text = (maxLength: number, description?: string): Json => ({ type: 'string', minLength: 1, maxLength, ...(description ? { description } : {}) });
const nullableText = (maxLength: number): Json => ({ type: ['string', 'null'], maxLength });
const name = (description: string): Json => ({ type: 'string', minLength: 1, maxLength: 48, pattern: NAME_PATTERN, description });
const names = (description: string): Json => ({ type: 'array', maxItems: 100, uniqueItems: true, items: name('An object or field name.'), description });
/** An object name, or `*` for every object (see `ANY_OBJECT`). */
const objectOrAny = (description: string): Json => ({ anyOf: [{ const: ANY_OBJECT }, name('An object name.')], description });
const handler: Json = { type: 'string', minLength: 1, maxLength: 64, pattern: IDENTIFIER_PATTERN, description: 'A handler exported by the server bundle: a JavaScript identifier.' };
const eventPatterns = (description: string): Json => ({
  type: 'array',
  maxItems: 100,
  uniqueItems: true,
  items: { type: 'string', minLength: 1, maxLength: 200, pattern: EVENT_PATTERN.source },
  description,
});
const packagePath = (description: string): Json => ({ type: 'string', minLength: 1, maxLength: 200, pattern: PACKAGE_PATH_PATTERN, description });
const strict = (properties: Record<string, Json>, required: readonly string[], extra: Json = {}): Json => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
  ...extra,
});

const field: Json = strict(
  {
    name: name('lower snake_case; a relation named `company` is stored as `company_id`.'),
    type: { enum: [...FIELD_TYPES] },
    label: text(120),
    description: nullableText(2000),
    options: { type: 'object', description: "Depends on `type`; checked by the kernel with the metadata API's rules." },
    is_nullable: { type: 'boolean', default: true },
    is_unique: { type: 'boolean', default: false },
    is_indexed: { type: 'boolean', default: false },
    default_value: { description: "A value valid for the field's type (scalar types only)." },
    position: { type: 'integer' },
  },
  ['name', 'type'],
);

/** The JSON Schema keywords a settings schema may use: enough for the settings form the UI shell renders. */
const settingsSchema: Json = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    $comment: { type: 'string' },
    type: {
      anyOf: [
        { enum: ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] },
        { type: 'array', uniqueItems: true, items: { enum: ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] } },
      ],
    },
    title: { type: 'string' },
    description: { type: 'string' },
    default: {},
    examples: { type: 'array' },
    enum: { type: 'array', minItems: 1 },
    const: {},
    properties: { type: 'object', propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }, additionalProperties: { $ref: '#/$defs/settings_schema' } },
    required: { type: 'array', uniqueItems: true, items: { type: 'string' } },
    additionalProperties: { type: 'boolean' },
    items: { $ref: '#/$defs/settings_schema' },
    minItems: { type: 'integer', minimum: 0 },
    maxItems: { type: 'integer', minimum: 0 },
    uniqueItems: { type: 'boolean' },
    minLength: { type: 'integer', minimum: 0 },
    maxLength: { type: 'integer', minimum: 0 },
    pattern: { type: 'string' },
    format: { enum: ['date', 'date-time', 'time', 'email', 'uri', 'hostname', 'ipv4', 'ipv6', 'uuid'] },
    minimum: { type: 'number' },
    maximum: { type: 'number' },
    exclusiveMinimum: { type: 'number' },
    exclusiveMaximum: { type: 'number' },
    multipleOf: { type: 'number', exclusiveMinimum: 0 },
    readOnly: { type: 'boolean' },
    deprecated: { type: 'boolean' },
  },
};

const view: Json = {
  ...strict(
    {
      slot: { enum: [...VIEW_SLOTS] },
      element: { type: 'string', minLength: 1, maxLength: 100, pattern: ELEMENT_PATTERN, description: 'A custom element name with a hyphen.' },
      label: text(120),
      object: objectOrAny('The object whose records the view shows; "*" for every object (record.tab and record.action only).'),
      field: name('For field.renderer: the field of `object` the element renders.'),
      field_type: { enum: [...FIELD_TYPES], description: 'For field.renderer, instead of object + field: every field of this type renders through the element.' },
      icon: text(64),
    },
    ['slot', 'element', 'label'],
  ),
  allOf: [
    { if: { type: 'object', required: ['slot'], properties: { slot: { enum: [...OBJECT_SLOTS] } } }, then: { required: ['object'] } },
    // A field renderer names one field of one object, or a field type.
    { if: { type: 'object', required: ['slot'], properties: { slot: { const: 'field.renderer' } }, not: { required: ['field_type'] } }, then: { required: ['object', 'field'] } },
    // "*" shows a record of any object; only the record slots take it (a field belongs to one object).
    { if: { type: 'object', required: ['slot'], not: { properties: { slot: { enum: [...OBJECT_SLOTS] } } } }, then: { properties: { object: { not: { const: ANY_OBJECT } } } } },
  ],
};

/**
 * Object name → record operations: the shape of a grant and of a route's required access alike. A grant
 * (`anyObject`) may also hold `"*"`, every object, with reading only (`ANY_OBJECT_OPERATIONS`).
 */
function recordOperations(maxObjects: number, description: string, anyObject = false): Json {
  const operations: Json = { type: 'array', minItems: 1, uniqueItems: true, items: { enum: [...RECORD_OPERATIONS] } };
  return {
    type: 'object',
    maxProperties: maxObjects,
    propertyNames: anyObject ? { anyOf: [{ const: ANY_OBJECT }, { maxLength: 48, pattern: NAME_PATTERN }] } : { maxLength: 48, pattern: NAME_PATTERN },
    additionalProperties: operations,
    ...(anyObject ? { properties: { [ANY_OBJECT]: { ...operations, items: { enum: [...ANY_OBJECT_OPERATIONS] } } } } : {}),
    description,
  };
}

const permissions: Json = strict(
  {
    records: recordOperations(200, 'Record operations per object name. The plugin\'s own objects need no entry. "*": ["read"] reads every object, including objects added later.', true),
    events: strict(
      {
        subscribe: eventPatterns('Event type patterns it may subscribe to.'),
        emit: eventPatterns('Event type patterns it may publish, inside `<id>.*`.'),
      },
      [],
    ),
    http: {
      type: 'array',
      maxItems: 100,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 2048, pattern: '^https?://' },
      description: 'URL patterns: scheme and host exact, `*` wildcards in the path.',
    },
    kv: { type: 'boolean', description: 'Key-value storage of its own.' },
    imports: { type: 'boolean', description: 'CSV imports for the member who calls its routes, on that member\'s role.' },
    members: { type: 'boolean', description: "Reading the workspace's member directory (ids, names, emails) in its views." },
    settings: { type: 'boolean', description: 'Reading its settings.' },
    secrets: { type: 'boolean', description: 'Reading its secrets.' },
  },
  [],
);

function buildSchema(): Json {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:mosaic-crm:plugin-manifest:1',
    $comment: 'Generated from plugin-sdk/src/manifest/schema.ts by plugin-sdk/scripts/write-schema.ts; do not edit by hand.',
    title: 'Mosaic CRM plugin manifest',
    ...strict(
      {
        $schema: { type: 'string', description: 'Editor hint; ignored.' },
        id: { type: 'string', minLength: 2, maxLength: 98, pattern: ID_PATTERN, description: '1 to 3 dot-separated lower-case words.' },
        name: text(120),
        version: { type: 'string', maxLength: 256, pattern: SEMVER_PATTERN, description: 'semver, e.g. 1.2.0' },
        kernel: text(256, 'semver range of the kernel plugin API, e.g. ^1.0.0'),
        publisher: strict({ name: text(120), url: { type: 'string', maxLength: 2048, format: 'uri', pattern: '^https?://' }, email: { type: 'string', maxLength: 320, format: 'email' } }, ['name']),
        description: { type: 'string', maxLength: 2000 },
        icon: packagePath('An icon file inside the package.'),
        dependencies: {
          type: 'object',
          maxProperties: 50,
          propertyNames: { maxLength: 98, pattern: ID_PATTERN },
          additionalProperties: text(256),
          description: 'Plugin id → semver range.',
        },
        permissions,
        objects: {
          type: 'array',
          maxItems: 100,
          items: strict(
            {
              name: name('lower snake_case, unique across plugins.'),
              label_singular: text(120),
              label_plural: text(120),
              description: nullableText(2000),
              icon: { type: ['string', 'null'], maxLength: 64 },
              label_field: { type: ['string', 'null'], maxLength: 64 },
              fields: { type: 'array', maxItems: 200, items: { $ref: '#/$defs/field' } },
            },
            ['name'],
          ),
        },
        fields: { type: 'array', maxItems: 200, items: strict({ object: name('The object the field is added to.'), field: { $ref: '#/$defs/field' } }, ['object', 'field']) },
        routes: {
          type: 'array',
          maxItems: 200,
          items: strict(
            {
              method: { enum: [...ROUTE_METHODS] },
              path: { type: 'string', maxLength: 200, pattern: ROUTE_PATTERN },
              handler,
              description: { type: 'string', maxLength: 2000 },
              access: strict(
                {
                  records: recordOperations(50, 'Record operations the calling member or API key must hold (their role), per object.'),
                },
                [],
              ),
            },
            ['method', 'path', 'handler'],
          ),
        },
        events: {
          type: 'array',
          maxItems: 100,
          items: strict(
            {
              type: { type: 'string', minLength: 1, maxLength: 200, pattern: EVENT_PATTERN.source },
              objects: { type: 'array', maxItems: 100, uniqueItems: true, items: objectOrAny('An object name, or "*" for every object.'), description: 'Only events on these objects; ["*"] for every object, including objects added later.' },
              fields: names('For record.updated: only when one of these fields changed.'),
              handler,
            },
            ['type', 'handler'],
          ),
        },
        jobs: {
          type: 'array',
          maxItems: 50,
          items: strict(
            { name: { type: 'string', maxLength: 48, pattern: '^[a-z][a-z0-9_-]*$' }, cron: text(120, '5-field cron, UTC'), handler, description: { type: 'string', maxLength: 2000 } },
            ['name', 'cron', 'handler'],
          ),
        },
        views: { type: 'array', maxItems: 100, items: view },
        mcp_tools: {
          type: 'array',
          maxItems: 50,
          items: strict(
            {
              name: name('lower snake_case; agents see `<id>__<name>`.'),
              description: text(4000, 'What the tool does, written for a language model.'),
              input_schema: {
                type: 'object',
                required: ['type'],
                properties: { type: { const: 'object' } },
                description: 'JSON Schema (2020-12) of the arguments: an object schema.',
              },
              handler,
            },
            ['name', 'description', 'input_schema', 'handler'],
          ),
        },
        settings: { type: 'object', $ref: '#/$defs/settings_schema', required: ['type'], properties: { type: { const: 'object' } } },
        secrets: { type: 'array', maxItems: 50, items: { type: 'string', maxLength: 64, pattern: SECRET_PATTERN } },
        server: packagePath('The server bundle, e.g. dist/server.js.'),
        ui: packagePath('The view bundle, e.g. dist/views.js.'),
      },
      ['id', 'name', 'version', 'kernel'],
    ),
    $defs: { field, settings_schema: settingsSchema },
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** The manifest JSON Schema (frozen). */
export const MANIFEST_SCHEMA: Json = deepFreeze(buildSchema());
