export { canonicalJson, CanonicalJsonError, type JsonObject, type JsonPrimitive, type JsonValue } from '@shared/canonical-json';
