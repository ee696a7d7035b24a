import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { MosaicError, type ErrorDetail } from '../errors/index.js';
import { fieldType, type FieldDef } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';

const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);

interface Validators {
  readonly create: ValidateFunction;
  readonly update: ValidateFunction;
}

/** Compiled per object definition; a metadata change builds a new definition and so new validators. */
const cache = new WeakMap<ObjectDef, Validators>();

/** Fields a client may write: declared stored fields, plus `id` on create and `position`. */
function writable(object: ObjectDef): FieldDef[] {
  return object.fields.filter((f) => f.type !== 'one_to_many' && (!f.system || f.name === 'id' || f.name === 'position'));
}

function bodySchema(object: ObjectDef, mode: 'create' | 'update'): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const field of writable(object)) {
    if (mode === 'update' && field.name === 'id') continue;
    const type = fieldType(field);
    const schema = type.writeSchema(field);
    properties[type.recordKey(field)] = field.isNullable ? { anyOf: [schema, { type: 'null' }] } : schema;
    if (mode === 'create' && !field.isNullable && !field.system && (field.defaultValue === null || field.defaultValue === undefined)) {
      required.push(type.recordKey(field));
    }
  }
  return { type: 'object', additionalProperties: false, properties, required, ...(mode === 'update' ? { minProperties: 1 } : {}) };
}

function validators(object: ObjectDef): Validators {
  let v = cache.get(object);
  if (!v) {
    v = { create: ajv.compile(bodySchema(object, 'create')), update: ajv.compile(bodySchema(object, 'update')) };
    cache.set(object, v);
  }
  return v;
}

/** Turns ajv's errors into one detail per field, worded for the person who sent the record. */
function details(errors: readonly ErrorObject[]): ErrorDetail[] {
  const seen = new Map<string, ErrorDetail>();
  for (const e of errors) {
    let path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'additionalProperties') {
      path = [path, String(e.params.additionalProperty)].filter(Boolean).join('.');
      message = 'is not a field of this object';
    } else if (e.keyword === 'required') {
      path = String(e.params.missingProperty);
      message = 'is required';
    } else if (e.keyword === 'enum') {
      message = `must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`;
    } else if (e.keyword === 'anyOf') {
      continue; // The branch errors say what is wrong; "must match a schema in anyOf" says nothing.
    }
    if (!seen.has(path)) seen.set(path, { path, message });
  }
  return [...seen.values()];
}

/**
 * Checks a record body against the object's field types. Throws `MOSAIC_ERR_RECORD_INVALID` listing
 * every invalid field, so one round trip reports all problems.
 */
export function validateBody(object: ObjectDef, body: unknown, mode: 'create' | 'update'): asserts body is Record<string, unknown> {
  const validate = validators(object)[mode];
  if (!validate(body)) {
    const list = details(validate.errors ?? []);
    const summary = list.map((d) => `${d.path || 'body'} ${d.message}`).join('; ');
    throw new MosaicError('MOSAIC_ERR_RECORD_INVALID', `The ${object.name} record is invalid: ${summary}.`, list);
  }
}
