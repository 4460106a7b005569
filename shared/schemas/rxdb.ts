import { z } from 'zod';

// An RxDB JSON schema generated from a document's zod schema (zod 4's `z.toJSONSchema`), so each
// stored document's shape is declared once (./documents.ts). What only RxDB needs (title, version,
// primary key, indexes, encrypted fields) is given here beside it. The generated JSON must stay
// equal to what RxDB has stored for the same version, since RxDB refuses a collection whose schema
// hash changed without a version bump (tests/unit/schemas/rxdb-from-zod.test.ts pins it).
//
// zod's output is normalised to the JSON Schema RxDB has always been given:
// - no `$schema`; the top level's `additionalProperties: false` is left to RxDB, which adds it;
// - a nested open object (`looseObject`) loses its `additionalProperties: {}` (open is the default);
// - a `z.record(z.string(), …)` becomes `{ type: 'object', additionalProperties: true }`.

export interface RxdbOptions<T> {
  title: string;
  version: number;
  primaryKey: keyof T & string;
  indexes?: readonly (string | readonly string[])[];
  /** Top-level fields RxDB encrypts (personal data). */
  encrypted?: readonly (keyof T & string)[];
}

/** A plain JSON Schema object (shared/ stays free of RxDB; the renderer types it as `RxJsonSchema`). */
export type JsonSchema = Record<string, unknown>;

function normalise(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalise);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = normalise(v);
  const isEmpty = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;
  if (out.type === 'object' && isEmpty(out.additionalProperties)) {
    if (out.properties) delete out.additionalProperties;
    else out.additionalProperties = true;
  }
  const names = out.propertyNames as { type?: string } | undefined;
  if (names && Object.keys(names).length === 1 && names.type === 'string') delete out.propertyNames;
  return out;
}

/** The RxDB JSON schema of `schema` (a strict zod object) with RxDB's own settings. */
export function rxdbSchema<S extends z.ZodObject>(schema: S, options: RxdbOptions<z.output<S>>): JsonSchema {
  const generated = normalise(z.toJSONSchema(schema, { unrepresentable: 'throw' })) as JsonSchema;
  delete generated.$schema;
  delete generated.additionalProperties;
  const { title, version, primaryKey, indexes, encrypted } = options;
  return {
    title,
    version,
    primaryKey,
    ...generated,
    ...(encrypted ? { encrypted: [...encrypted] } : {}),
    ...(indexes ? { indexes: indexes.map((i) => (typeof i === 'string' ? i : [...i])) } : {}),
  };
}
