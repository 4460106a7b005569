// Schema validation of every write, with z-schema (no `eval`, so it runs under the app's CSP).
// RxDB's own z-schema plugin hands the schema over as an object on every write, and z-schema then
// clones, compiles and checks that schema each time: ~0.5 ms per case document. Here each schema is
// compiled once under an id and documents are validated against the id (~15× faster, same errors).

import { wrappedValidateStorageFactory, type RxJsonSchema } from 'rxdb';
import ZSchema from 'z-schema';

let nextId = 0;

/** A document validator for one (filled) RxDB schema: `[]` when valid, else the errors RxDB reports. */
export function getCompiledValidator(schema: RxJsonSchema<unknown>) {
  const validator = ZSchema.create({ strictMode: false });
  const id = `urn:loket:rxdb-schema:${++nextId}`;
  const compiled = validator.validateSchemaSafe({ ...structuredClone(schema), id } as never);
  if (!compiled.valid) throw new Error(`RxDB schema does not compile: ${JSON.stringify(compiled.err?.details ?? compiled)}`);
  return (doc: unknown) => {
    const result = validator.validateSafe(doc, id);
    if (result.valid) return [];
    return (result.err?.details ?? []).map(({ title, description, message, path }) => ({ title, description, message, path }));
  };
}

export const wrappedValidateCompiledZSchemaStorage = wrappedValidateStorageFactory(getCompiledValidator as never, 'z-schema-compiled');
