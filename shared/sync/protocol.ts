import { z } from 'zod';
import { BranchCode } from '../branch/schema';

// The HQ wire protocol, shared by the HQ service (hq/) and the device side (main's HQ link and the
// renderer's replication).

/** Collections devices push and pull. */
export const WRITABLE_COLLECTIONS = ['tickets', 'cases', 'refusals', 'transfers', 'audit'] as const;
/** Collections that only come down from HQ (written by the admin CLI). */
export const READ_ONLY_COLLECTIONS = ['staff', 'config'] as const;
export const COLLECTIONS = [...WRITABLE_COLLECTIONS, ...READ_ONLY_COLLECTIONS] as const;
export type Collection = (typeof COLLECTIONS)[number];
export type WritableCollection = (typeof WRITABLE_COLLECTIONS)[number];
export const CollectionName = z.enum(COLLECTIONS);

export function isWritable(collection: Collection): collection is WritableCollection {
  return (WRITABLE_COLLECTIONS as readonly string[]).includes(collection);
}

export const HQ_ERROR_CODES = [
  'INVALID_PAYLOAD', // body, query or params do not match the schema (incl. bad JSON)
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHENTICATED', // no, unknown or revoked device token
  'FORBIDDEN_BRANCH', // the path or a pushed document belongs to another branch
  'READ_ONLY_COLLECTION',
  'DOCUMENT_REFUSED', // validateIncoming refused a pushed document (it is in quarantine)
  'NOT_YET_RECEIVED', // a pushed document points at one HQ does not hold yet (its case): retry later
  'ENROL_CODE_INVALID', // unknown, used or expired: deliberately not told apart
  'DEVICE_EXISTS',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'TOO_MANY_STREAMS',
  'RATE_LIMITED', // too many attempts from this address (enrolment): retry after the Retry-After header
  'NOT_BRANCH_HUB', // a hub-only HQ route called by a device that is not its branch's hub
  'FORBIDDEN_ROLE', // a route for the branch head called for another role (local closures)
  'ORIGIN_DEVICE_REFUSED', // a relay names an unknown or revoked device as its author
  'AUDIT_REFUSED', // an entry of a PC's signed main audit chain is malformed, unlinked, edited or not signed by its key
  'DEVICE_KEY_MISMATCH', // the device presents another public key than the one HQ registered for it
  'HQ_BUSY', // HQ takes no more now (pushes in flight or database connections at their bound): retry after Retry-After
  'NOT_READY',
  'INTERNAL',
] as const;
export const HqErrorCode = z.enum(HQ_ERROR_CODES);
export type HqErrorCode = z.infer<typeof HqErrorCode>;

/** The one error shape every HQ endpoint answers with. */
export const HqErrorBody = z.strictObject({
  error: z.strictObject({
    code: HqErrorCode,
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type HqErrorBody = z.infer<typeof HqErrorBody>;

// Limits. Ids follow the RxDB schemas (maxLength 100); documents are bounded so one push stays small.
export const MAX_ID_LENGTH = 100;
export const MAX_PUSH_ROWS = 200;
export const MAX_PULL_LIMIT = 1000;
export const DEFAULT_PULL_LIMIT = 100;
export const MAX_DOC_DEPTH = 32;

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
export const DocId = z
  .string()
  .min(1)
  .max(MAX_ID_LENGTH)
  .refine((s) => !CONTROL_CHARS.test(s), 'id must not contain control characters');

/**
 * Deep nesting would blow stacks: refused for the whole call. Text PostgreSQL cannot store
 * (U+0000, lone surrogates) is not refused here but per document (shared/records/limits.ts), so
 * the rest of a push lands and the bad record is quarantined with its reason.
 */
function storableJson(value: unknown, depth: number): string | null {
  if (depth > MAX_DOC_DEPTH) return `nested deeper than ${MAX_DOC_DEPTH}`;
  if (typeof value === 'string') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : 'non-finite number';
  if (value === null || typeof value === 'boolean') return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = storableJson(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof value === 'object') {
    for (const item of Object.values(value)) {
      const problem = storableJson(item, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  return `unsupported ${typeof value}`;
}

/** A replicated document: a JSON object with a string primary key `id` and optional `_deleted`. */
export const SyncDocument = z
  .looseObject({ id: DocId, _deleted: z.boolean().optional() })
  .superRefine((doc, ctx) => {
    const problem = storableJson(doc, 0);
    if (problem) ctx.addIssue({ code: 'custom', message: `document ${problem}` });
  });
export type SyncDocument = z.infer<typeof SyncDocument>;

export const PushRow = z
  .strictObject({
    assumedMasterState: SyncDocument.nullable(),
    newDocumentState: SyncDocument,
    /**
     * Set by the pushing PC's main (main/hub/pulled-versions.ts) on a version it holds from a pull
     * and did not write (issue 17). A branch hub, and HQ alike, store such a row without an author
     * (a hub does not relay it) until its writer pushes the same version unmarked. Sent only to an
     * upstream whose /v1/branch says `pulledMarks` (an older one refuses the field).
     */
    pulled: z.literal(true).optional(),
  })
  .refine((row) => row.assumedMasterState === null || row.assumedMasterState.id === row.newDocumentState.id, {
    message: 'assumedMasterState.id must equal newDocumentState.id',
  });
export type PushRow = z.infer<typeof PushRow>;

export const PushBody = z
  .array(PushRow)
  .min(1)
  .max(MAX_PUSH_ROWS)
  .refine((rows) => new Set(rows.map((r) => r.newDocumentState.id)).size === rows.length, {
    message: 'one row per document id in a push',
  });

/** Push answer when every row was written, already equal, or conflicted: RxDB's conflict array. */
export type PushResponse = SyncDocument[];

const SeqParam = z
  .string()
  .regex(/^(0|[1-9]\d{0,15})$/, 'seq is a non-negative integer')
  .transform(Number)
  .refine(Number.isSafeInteger);

export const PullQuery = z
  .strictObject({
    id: DocId.optional(),
    seq: SeqParam.optional(),
    limit: z
      .string()
      .regex(/^[1-9]\d{0,3}$/, 'limit is a positive integer')
      .transform(Number)
      .refine((n) => n <= MAX_PULL_LIMIT, `limit is at most ${MAX_PULL_LIMIT}`)
      .optional(),
  })
  .refine((q) => (q.id === undefined) === (q.seq === undefined), { message: 'id and seq come together (a checkpoint) or not at all' });

export const Checkpoint = z.strictObject({ id: DocId, seq: z.number().int().nonnegative() });
export type Checkpoint = z.infer<typeof Checkpoint>;

export interface PullResponse {
  documents: SyncDocument[];
  /** The last document's position; null when nothing came back (keep the one you sent). */
  checkpoint: Checkpoint | null;
  /**
   * HQ cut this page at its byte budget: more documents follow now. Without it a page shorter than
   * the limit is the end (RxDB stops its catch-up there).
   */
  more?: boolean;
}

export const CollectionParams = z.strictObject({ collection: CollectionName });
export const BranchParams = z.strictObject({ branchCode: BranchCode });
export const BranchCollectionParams = z.strictObject({ branchCode: BranchCode, collection: CollectionName });

/** Enrolment codes: 12 Crockford base32 characters, shown grouped as XXXX-XXXX-XXXX. */
export const ENROL_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const EnrolCode = z
  .string()
  .max(32)
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{12}$/, 'enrolment code: 12 characters'));

export const EnrolRequest = z.strictObject({
  code: EnrolCode,
  deviceId: z.uuid(),
  deviceName: z
    .string()
    .trim()
    .min(1)
    .max(80)
    .refine((s) => !CONTROL_CHARS.test(s), 'device name must not contain control characters'),
});
export type EnrolRequest = z.infer<typeof EnrolRequest>;

export interface EnrolResponse {
  token: string;
  branchCode: string;
  deviceId: string;
  /** The branch-wide key of the NIK's keyed hash (base64 of 32 bytes): the same for every PC of the branch. */
  nikKey: string;
}

/** What a device checks of HQ's enrolment answer before keeping anything of it. */
export const EnrolResponseSchema = z.object({
  token: z.string().min(10).max(200),
  branchCode: BranchCode,
  deviceId: z.string(),
  /** Optional so a device still enrols with an older HQ (it then keeps its local key and says so). */
  nikKey: z.base64().min(43).max(64).optional(),
});

export interface BranchResponse {
  branch: { code: string; name: string; serviceHours: unknown; counters: number };
  staff: { staffId: string; name: string; role: string; active: boolean; updatedAt: string }[];
  /** This HQ or hub takes push rows marked `pulled` (`PushRow`); absent from an older one. */
  pulledMarks?: boolean;
  /**
   * The branch's hub (issue 17), as it announced itself to HQ: where it listens on the LAN and the
   * SHA-256 fingerprint of its certificate (`AB:CD:…`), which the PCs pin. Null: no hub, or it has
   * not announced itself yet. Optional: an older HQ does not send it.
   */
  hub?: { deviceId: string; fingerprint: string | null; addresses: HubAddress[] } | null;
}

/** One LAN address of the hub. */
export const HubAddress = z.strictObject({ host: z.string().min(1).max(253), port: z.number().int().min(1).max(65_535) });
export type HubAddress = z.infer<typeof HubAddress>;

/** `PUT /v1/hub/announce`: the hub's addresses and certificate fingerprint. */
export const HubAnnounce = z.strictObject({
  fingerprint: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/, 'fingerprint: SHA-256 as AB:CD:… (32 bytes)'),
  addresses: z.array(HubAddress).min(1).max(8),
});
export type HubAnnounce = z.infer<typeof HubAnnounce>;

/** Records one `POST /v1/hub/at-hq` asks about. */
export const MAX_AT_HQ_RECORDS = 500;
/**
 * `POST /v1/hub/at-hq` (hub only): which of these records HQ holds in exactly this version (the
 * device's fingerprint of it, shared/sync/fingerprint.ts), as far as the hub knows from HQ's own
 * answers (its relays acknowledged, its pulls). Answer: `{ atHq: ids }`.
 */
export const HubAtHqRequest = z.strictObject({
  collection: z.enum(WRITABLE_COLLECTIONS),
  records: z.array(z.strictObject({ id: DocId, fp: z.string().min(1).max(40) })).min(1).max(MAX_AT_HQ_RECORDS),
});
export type HubAtHqRequest = z.infer<typeof HubAtHqRequest>;
export interface HubAtHqResponse {
  atHq: string[];
  /** Records whose asked version HQ refused when the hub relayed it, with HQ's reason (absent: none). */
  refused?: { id: string; reason: string }[];
}

/**
 * Server-sent events on /v1/sync/stream (each as one `data:` JSON line). `hub` (HQ only): the
 * branch's hub changed (role moved, new address or certificate): ask HQ for it now.
 */
export type StreamEvent = { type: 'RESYNC' } | { type: 'changed'; collection: Collection; seq: number } | { type: 'hub' };

/** Key of the branch configuration document in the `config` collection (pulled read-only). */
export const BRANCH_CONFIG_KEY = 'hq:branch';
