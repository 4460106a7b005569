// Main's audit chain on disk (issue 18, point 7): one JSON line per entry in
// <userData>/audit/device-chain.jsonl, appended and fsync'd one at a time (appends are serialised
// here), each entry hash-chained and signed with the device key (shared/audit/device-chain.ts).
// What HQ has acknowledged is kept in hq-ack.json, so each upload sends only the rest.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { JsonObject } from '@shared/canonical-json';
import type { HandcarrySigningKey } from '@shared/ipc/contract';
import {
  MAX_DEVICE_AUDIT_BATCH,
  DeviceAuditEntrySchema,
  nextDeviceEntry,
  verifyDeviceChain,
  type DeviceAuditAction,
  type DeviceAuditActor,
  type DeviceAuditEntry,
  type DeviceChainVerdict,
} from '@shared/audit/device-chain';
import { nodeSha256Hex, signerFor, verifierFor } from './device-key';

const Ack = z.strictObject({ seq: z.number().int().min(0), hash: z.string() });

/** What HQ answers an upload with: the head of this device's main chain as HQ now holds it. */
export type DeviceAuditUpload = (body: { publicKey: HandcarrySigningKey['publicKey']; entries: DeviceAuditEntry[] }) => Promise<{ seq: number; hash: string }>;

/** The renderer chain's seq a `renderer.anchored` entry names (0 when it names none). */
function anchoredSeqOf(entry: DeviceAuditEntry): number {
  const seq = entry.details.seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 ? seq : 0;
}

export class DeviceAuditLog {
  private readonly file: string;
  private readonly ackFile: string;
  private last: DeviceAuditEntry | null | undefined = undefined;
  /** The renderer chain's seq this chain anchored last (0: none); read with `last`, once. */
  private anchored: number | undefined = undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private uploading: Promise<number> | null = null;

  constructor(
    private readonly o: { dir: string; deviceId: string; key: () => HandcarrySigningKey; now: () => Date },
  ) {
    this.file = path.join(o.dir, 'device-chain.jsonl');
    this.ackFile = path.join(o.dir, 'hq-ack.json');
  }

  /** Appends one signed entry (serialised with every other append); resolves once it is on disk. */
  record(action: DeviceAuditAction, actor: DeviceAuditActor | null, details: JsonObject = {}): Promise<DeviceAuditEntry> {
    const run = async () => {
      const key = this.o.key();
      const prev = this.last === undefined ? this.loadTail() : this.last;
      const entry = await nextDeviceEntry(nodeSha256Hex, signerFor(key), prev, {
        deviceId: this.o.deviceId,
        at: this.o.now().toISOString(),
        actor,
        action,
        details,
      });
      fs.mkdirSync(this.o.dir, { recursive: true, mode: 0o700 });
      this.cutTornTail();
      const fd = fs.openSync(this.file, 'a', 0o600);
      try {
        fs.writeSync(fd, `${JSON.stringify(entry)}\n`);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      this.last = entry;
      if (action === 'renderer.anchored') this.anchored = Math.max(this.anchored ?? 0, anchoredSeqOf(entry));
      return entry;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * The seq of the renderer's audit chain this chain anchored last (`renderer.anchored`; 0: none):
   * main signs no renderer entry behind it, also after a restart (main/audit/entry-signer.ts).
   */
  rendererAnchoredSeq(): number {
    if (this.anchored === undefined) this.loadTail();
    return this.anchored ?? 0;
  }

  /** Reads the chain once for its last entry and its last anchor of the renderer chain. */
  private loadTail(): DeviceAuditEntry | null {
    const entries = this.entries();
    this.last = entries.at(-1) ?? null;
    let anchored = this.anchored ?? 0;
    for (const e of entries) if (e.action === 'renderer.anchored') anchored = Math.max(anchored, anchoredSeqOf(e));
    this.anchored = anchored;
    return this.last;
  }

  /** Every entry as stored (a torn last line, from a crash mid-write, is left out). */
  entries(): DeviceAuditEntry[] {
    if (!fs.existsSync(this.file)) return [];
    const lines = fs.readFileSync(this.file, 'utf8').split('\n').filter((l) => l.length > 0);
    const out: DeviceAuditEntry[] = [];
    for (const [i, line] of lines.entries()) {
      try {
        out.push(DeviceAuditEntrySchema.parse(JSON.parse(line)));
      } catch (e) {
        if (i === lines.length - 1) break; // torn tail
        throw new Error(`main audit chain: line ${i + 1} is not an entry`, { cause: e });
      }
    }
    return out;
  }

  /** A crash mid-write leaves a last line without its newline: cut it before appending (it was never acknowledged). */
  private cutTornTail(): void {
    if (!fs.existsSync(this.file)) return;
    const text = fs.readFileSync(this.file, 'utf8');
    if (text.length === 0 || text.endsWith('\n')) return;
    fs.truncateSync(this.file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1), 'utf8'));
  }

  /** The whole chain checked: links, hashes and signatures under this device's key. */
  verify(): Promise<DeviceChainVerdict> {
    return verifyDeviceChain(nodeSha256Hex, verifierFor(this.o.key().publicKey), this.entries(), { deviceId: this.o.deviceId });
  }

  /** Sends what HQ has not acknowledged, in batches; returns how many entries HQ now holds. One upload at a time. */
  upload(send: DeviceAuditUpload): Promise<number> {
    this.uploading ??= this.uploadNow(send).finally(() => {
      this.uploading = null;
    });
    return this.uploading;
  }

  private async uploadNow(send: DeviceAuditUpload): Promise<number> {
    const publicKey = this.o.key().publicKey;
    let acked = this.acked();
    for (;;) {
      const pending = this.entries().filter((e) => e.seq > acked.seq).slice(0, MAX_DEVICE_AUDIT_BATCH);
      if (pending.length === 0) return acked.seq;
      const head = Ack.parse(await send({ publicKey, entries: pending }));
      if (head.seq <= acked.seq) return acked.seq; // HQ took nothing more: stop instead of looping
      acked = head;
      fs.writeFileSync(this.ackFile, JSON.stringify(head), { mode: 0o600 });
    }
  }

  private acked(): { seq: number; hash: string } {
    try {
      return Ack.parse(JSON.parse(fs.readFileSync(this.ackFile, 'utf8')));
    } catch {
      return { seq: 0, hash: '' };
    }
  }
}
