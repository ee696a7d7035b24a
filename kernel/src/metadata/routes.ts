import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import type { AuthContext } from '../auth/context.js';
import { FIELD_TYPES } from './field-types/index.js';
import type { FieldDef } from './field-types/index.js';
import type { FieldPatch } from './field-update.js';
import type { FieldInput } from './field-input.js';
import { serializeObject } from './serialize.js';
import { MetadataService, type ObjectInput, type ObjectPatch } from './service.js';

const name = { type: 'string', minLength: 1, maxLength: 64 } as const;
const label = { type: 'string', minLength: 1, maxLength: 120 } as const;
const nullableText = { type: ['string', 'null'], maxLength: 2000 } as const;

const fieldInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'type'],
  properties: {
    name,
    type: { type: 'string', maxLength: 64 },
    label,
    description: nullableText,
    options: { type: 'object' },
    is_nullable: { type: 'boolean' },
    is_unique: { type: 'boolean' },
    is_indexed: { type: 'boolean' },
    default_value: {},
    position: { type: 'integer' },
  },
} as const;

const fieldPatchSchema = { ...fieldInputSchema, required: [], minProperties: 1 } as const;

const objectInputSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name,
    label_singular: label,
    label_plural: label,
    description: nullableText,
    icon: { type: ['string', 'null'], maxLength: 64 },
    label_field: { type: ['string', 'null'], maxLength: 64 },
    fields: { type: 'array', maxItems: 200, items: fieldInputSchema },
  },
} as const;

const objectPatchSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: (({ fields: _fields, ...rest }) => rest)(objectInputSchema.properties),
} as const;

const objectParams = { type: 'object', required: ['object'], properties: { object: name } } as const;
const fieldParams = { type: 'object', required: ['object', 'field'], properties: { object: name, field: name } } as const;

/** Hides objects and fields the caller's role cannot read. */
function visible(auth: AuthContext) {
  return (objectName: string) => (field: FieldDef) => auth.access.fieldRead(objectName, field.name);
}

/**
 * `/api/metadata`: objects and fields. Reading needs only sign-in (and shows what the role can read);
 * changing needs the `metadata` capability.
 */
export async function metadataRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const service = new MetadataService(services);
  const admin = (request: FastifyRequest) => {
    const auth = requireAuth(request);
    auth.access.assertCan('metadata');
    return { workspaceId: auth.workspaceId, actor: auth.actor };
  };

  app.get('/api/metadata/field-types', async () => ({ data: FIELD_TYPES }));

  app.get('/api/metadata/objects', async (request) => {
    const auth = requireAuth(request);
    const metadata = await services.metadata.get(auth.workspaceId);
    const show = visible(auth);
    const data = [...metadata.objects.values()].filter((o) => auth.access.object(o.name, 'read')).map((o) => serializeObject(o, show(o.name)));
    return { data };
  });

  app.get<{ Params: { object: string } }>('/api/metadata/objects/:object', { schema: { params: objectParams } }, async (request) => {
    const auth = requireAuth(request);
    auth.access.assertObject(request.params.object, 'read');
    const object = await services.metadata.object(auth.workspaceId, request.params.object);
    return { data: serializeObject(object, visible(auth)(object.name)) };
  });

  app.post<{ Body: ObjectInput }>('/api/metadata/objects', { schema: { body: objectInputSchema } }, async (request, reply) => {
    const object = await service.createObject(admin(request), request.body);
    return reply.status(201).send({ data: serializeObject(object) });
  });

  app.patch<{ Params: { object: string }; Body: ObjectPatch }>('/api/metadata/objects/:object', { schema: { params: objectParams, body: objectPatchSchema } }, async (request) => {
    const object = await service.updateObject(admin(request), request.params.object, request.body);
    return { data: serializeObject(object) };
  });

  app.delete<{ Params: { object: string } }>('/api/metadata/objects/:object', { schema: { params: objectParams } }, async (request, reply) => {
    await service.deleteObject(admin(request), request.params.object);
    return reply.status(204).send();
  });

  app.post<{ Params: { object: string }; Body: FieldInput }>('/api/metadata/objects/:object/fields', { schema: { params: objectParams, body: fieldInputSchema } }, async (request, reply) => {
    const object = await service.addField(admin(request), request.params.object, request.body);
    return reply.status(201).send({ data: serializeObject(object) });
  });

  app.patch<{ Params: { object: string; field: string }; Body: FieldPatch }>('/api/metadata/objects/:object/fields/:field', { schema: { params: fieldParams, body: fieldPatchSchema } }, async (request) => {
    const object = await service.updateField(admin(request), request.params.object, request.params.field, request.body);
    return { data: serializeObject(object) };
  });

  app.delete<{ Params: { object: string; field: string } }>('/api/metadata/objects/:object/fields/:field', { schema: { params: fieldParams } }, async (request) => {
    const object = await service.deleteField(admin(request), request.params.object, request.params.field);
    return { data: serializeObject(object) };
  });
}
