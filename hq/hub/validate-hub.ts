import { checkLimits, checkRecord } from '@shared/records';
import { withoutBookkeeping } from '@shared/schemas/bookkeeping';
import type { WritableCollection } from '@shared/sync/protocol';
import { AuditEntrySchema } from '@shared/audit/chain';
import { sameJson } from '@shared/canonical-json';
import { auditAuthorshipProblem } from '../device-audit';
import { checkScope } from '../store';
import type { Device, ValidationContext, Verdict } from '../store';

// What the hub checks in a push from a PC of its branch: scope (the branch, who may write a
// transfer) and the record's limits and shape, the checks that need nothing but the document. The
// journal replay, the NIK hash under the branch key, HQ's rules of the day and the audit chains are
// HQ's, but for who wrote an audit entry (checked here too, so no PC takes another's audit ids):
// the hub relays every record as its author's and HQ decides; the hub never overrules HQ.

export async function validateAtHub(collection: WritableCollection, doc: unknown, device: Device, context: ValidationContext): Promise<Verdict> {
  const scope = checkScope(collection, doc, device, context.master);
  if (!scope.ok) return scope;
  const content = withoutBookkeeping(doc as Record<string, unknown>);
  const limits = checkLimits(collection, content);
  if (!limits.ok) return { ok: false, kind: 'invalid', reason: `limits: ${limits.problems.join('; ')}` };
  const record = checkRecord(collection, content);
  if (!record.ok) return { ok: false, kind: 'invalid', reason: `schema: ${record.problems.slice(0, 5).join('; ')}` };
  // A PC writes only its own audit chain (its device id, ids `<deviceId>:<seq>`): an entry of another
  // PC's chain is refused unless marked as pulled, which the hub keeps as no one's (hq/store.ts `PushOptions`).
  if (collection === 'audit' && !context.pulled && (content.deviceId !== device.deviceId || !String(content.id).startsWith(`${device.deviceId}:`))) {
    return { ok: false, kind: 'invalid', reason: 'audit: not the pushing device’s own chain (each device pushes its own; one it pulled goes marked as pulled)' };
  }
  if (collection === 'audit') {
    // As at HQ (device-audit.ts): an entry of another PC's chain is taken only signed by that PC,
    // with the key HQ registered for it (the hub learns the keys with the device list), so no PC
    // takes another PC's audit ids here either. The id is the entry's chain position.
    if (context.master) {
      // An identical retry writes nothing; any other change is an edit, refused as HQ refuses it.
      const same = !context.master.deleted && sameJson(withoutBookkeeping(context.master.data), content);
      return same ? { ok: true } : { ok: false, kind: 'invalid', reason: 'audit: an entry the hub already has cannot change' };
    }
    const { id, ...rest } = content;
    const entry = AuditEntrySchema.safeParse(rest);
    if (!entry.success) return { ok: false, kind: 'invalid', reason: 'audit: not an audit entry' };
    if (id !== `${entry.data.deviceId}:${String(entry.data.seq).padStart(10, '0')}`) return { ok: false, kind: 'invalid', reason: 'audit: id is not deviceId:seq (10 digits)' };
    const problem = await auditAuthorshipProblem(context.tx, entry.data, entry.data.deviceId !== device.deviceId);
    if (problem !== null) return { ok: false, kind: 'invalid', reason: problem };
  }
  return { ok: true };
}
