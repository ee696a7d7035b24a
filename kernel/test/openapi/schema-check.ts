import SwaggerParser from '@apidevtools/swagger-parser';
import addFormats from 'ajv-formats';
import { Ajv2020 } from 'ajv/dist/2020.js';

/** An OpenAPI document as tests read it. */
export type Doc = Record<string, any>;

/** Validates a document with swagger-parser (which dereferences in place, hence the clone); resolves to the error message or null. */
export async function openApiProblems(doc: Doc): Promise<string | null> {
  try {
    await SwaggerParser.validate(structuredClone(doc) as never);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Checks values against the document's component schemas with ajv (draft 2020-12, formats on), the
 * way a client generated from the document would. `check('Company', value)` gives null or ajv's errors.
 */
export function schemaChecker(doc: Doc): (schema: string, value: unknown) => string | null {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  // Component schemas refer to each other as `#/components/schemas/X`; give ajv a root with that shape.
  ajv.addSchema({ $id: 'https://mosaic.test/openapi.json', components: { schemas: structuredClone(doc.components.schemas) } });
  return (schema, value) => {
    const validate = ajv.getSchema(`https://mosaic.test/openapi.json#/components/schemas/${schema}`);
    if (!validate) throw new Error(`no schema ${schema}`);
    return validate(value) ? null : ajv.errorsText(validate.errors);
  };
}
