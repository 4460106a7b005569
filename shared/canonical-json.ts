// One text for one value, whoever serialises it: the form that is hashed (audit chain) and signed
// (hand-carry files). Object keys are sorted recursively by UTF-16 code unit (as RFC 8785 does),
// there is no whitespace, and numbers and strings are written as JSON.stringify writes them
// (for finite numbers that is also RFC 8785's form). Anything JSON cannot carry faithfully is
// refused instead of being dropped or coerced: undefined, functions, symbols, bigint, NaN and
// ±Infinity, non-plain objects (Date, Map, class instances…), sparse arrays and cycles.

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export class CanonicalJsonError extends TypeError {
  override readonly name = 'CanonicalJsonError';
  /** Where the offending value sits, e.g. `$.details.items[2]`. */
  readonly path: string;
  constructor(path: string, what: string) {
    super(`canonicalJson: ${what} at ${path} cannot be represented`);
    this.path = path;
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const safeKeyPath = (key: string): string => (/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

function write(value: unknown, path: string, seen: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `the non-finite number ${String(value)}`);
      return JSON.stringify(value); // -0 is written as 0
    case 'undefined':
      throw new CanonicalJsonError(path, 'undefined');
    case 'function':
      throw new CanonicalJsonError(path, 'a function');
    case 'symbol':
      throw new CanonicalJsonError(path, 'a symbol');
    case 'bigint':
      throw new CanonicalJsonError(path, 'a bigint');
    case 'object':
      break;
  }
  if (value === null) return 'null';
  const obj = value;
  if (seen.has(obj)) throw new CanonicalJsonError(path, 'a circular reference');
  seen.add(obj);
  try {
    if (Array.isArray(obj)) {
      const items: string[] = [];
      for (let i = 0; i < obj.length; i++) {
        if (!(i in obj)) throw new CanonicalJsonError(`${path}[${i}]`, 'a hole in a sparse array');
        items.push(write((obj as unknown[])[i], `${path}[${i}]`, seen));
      }
      return `[${items.join(',')}]`;
    }
    if (!isPlainObject(obj)) {
      throw new CanonicalJsonError(path, `an instance of ${obj.constructor?.name ?? 'a non-plain object'}`);
    }
    if (Object.getOwnPropertySymbols(obj).length > 0) throw new CanonicalJsonError(path, 'a symbol-keyed property');
    const record = obj as Record<string, unknown>;
    const keys = Object.keys(record).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${write(record[k], path + safeKeyPath(k), seen)}`).join(',')}}`;
  } finally {
    seen.delete(obj);
  }
}

/**
 * The canonical JSON text of `value`: keys sorted recursively, no whitespace.
 * @throws CanonicalJsonError when the value holds anything JSON cannot carry faithfully.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

/**
 * Whether two values are equal as JSON content: what `canonicalJson` of their JSON round trips
 * compares, without building either text (key order does not matter; an undefined property is an
 * absent one, an undefined array item is null). For hot paths: HQ's replay check, the sync's
 * content comparisons.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x: unknown = a[i];
      const y: unknown = b[i];
      if (!sameJson(x === undefined ? null : x, y === undefined ? null : y)) return false;
    }
    return true;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(b)) {
    // Different primitives (or non-JSON values) compare by their JSON text: 0 and -0 are one number.
    return (JSON.stringify(a) ?? 'null') === (JSON.stringify(b) ?? 'null');
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let nx = 0;
  for (const k of Object.keys(x)) {
    if (x[k] === undefined) continue;
    nx++;
    if (y[k] === undefined || !Object.prototype.hasOwnProperty.call(y, k) || !sameJson(x[k], y[k])) return false;
  }
  let ny = 0;
  for (const k of Object.keys(y)) if (y[k] !== undefined) ny++;
  return nx === ny;
}
