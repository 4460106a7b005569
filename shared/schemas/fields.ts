import { z } from 'zod';
import { codePoints } from '../records/limits';

// Field builders shared by every stored document's zod schema. Each carries, as JSON Schema
// metadata, what the RxDB schema generated from it (./rxdb.ts) must say: a string's `maxLength`
// (RxDB needs it on indexed strings), an integer's `multipleOf: 1`.

/** A string of at most `n` code points (JSON Schema's `maxLength` counts code points, zod's `.max` UTF-16 units). */
export const str = (n: number) => z.string().refine((s) => codePoints(s) <= n, `at most ${n} characters`).meta({ maxLength: n });

/** An integer within the bounds (JSON Schema `integer`: any integral number). */
export const int = (min: number, max: number) => z.number().int().min(min).max(max).meta({ multipleOf: 1 });

/** One of `values`, stored as a string of at most `maxLength` (for RxDB's indexes). */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, maxLength: number) =>
  z.enum(values).meta({ maxLength });

export const Id = str(100);
export const Timestamp = str(40);
export const BranchCodeField = str(8);
/** JSON Schema `{ type: 'object', additionalProperties: true }`: any object, not an array or null. */
export const AnyObject = z.record(z.string(), z.unknown());
/** Who did it, on which device (nested, so open like every nested object). */
export const Actor = z.looseObject({ staffId: z.string(), role: z.string(), deviceId: z.string() });
