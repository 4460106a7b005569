// The head's local closures (Settings) reach HQ, which keeps them in the branch's case rules
// (versioned, judged by replay) and passes them to the branch's other PCs (issue 16 pt 10). With
// HQ away the latest list waits here, in a file that survives a restart, and goes when HQ is back
// (core.ts flushes on every HQ status change). Only the latest list matters: each send is whole.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CalendarDateSchema } from '@shared/dates';
import { IpcFailure } from '@shared/ipc/result';
import { Role, StaffId } from '@shared/staff/schema';
import type { Logger } from './log';
import { JsonFile } from './store';

const Pending = z.strictObject({
  actor: z.strictObject({ staffId: StaffId, role: Role }),
  closures: z.array(CalendarDateSchema).max(200),
  enteredAt: z.iso.datetime(),
});
type Pending = z.infer<typeof Pending>;

/** What HQ's `PUT /v1/branch/local-closures` takes (hq/branch-rules.ts checks it again) and answers. */
export type LocalClosuresRequest = { actor: Pending['actor']; closures: string[] };
export const LocalClosuresAnswer = z.object({ effectiveFrom: CalendarDateSchema, localClosures: z.array(CalendarDateSchema) });
export type LocalClosuresAnswer = z.infer<typeof LocalClosuresAnswer>;
export type LocalClosuresSend = (body: LocalClosuresRequest) => Promise<LocalClosuresAnswer>;

export interface LocalClosuresStatus {
  /** Entered on this PC and not yet received by HQ. */
  pending: boolean;
  /** HQ refused the last list (a 4xx): what it said. Not retried; the next change sends again. */
  refused: string | null;
}

const FILE = 'local-closures-outbox.json';

export class LocalClosuresOutbox {
  private readonly file: JsonFile<typeof Pending>;
  private refused: string | null = null;
  private inFlight: Promise<boolean> | null = null;

  constructor(private readonly o: { dir: string; send: LocalClosuresSend; log: Logger; now?: () => Date }) {
    this.file = new JsonFile(path.join(o.dir, FILE), Pending);
  }

  status(): LocalClosuresStatus {
    return { pending: this.read() !== null, refused: this.refused };
  }

  /** Keeps the list to send (replacing any older one), then tries HQ now. */
  async submit(closures: readonly string[], actor: Pending['actor']): Promise<{ sentToHq: boolean }> {
    await this.inFlight; // a send of the older list finishes first, then this one replaces it
    this.file.write({ actor, closures: [...closures], enteredAt: (this.o.now?.() ?? new Date()).toISOString() });
    this.refused = null;
    return { sentToHq: await this.flush() };
  }

  /** Sends the waiting list if there is one; true when HQ received it now. */
  flush(): Promise<boolean> {
    this.inFlight ??= this.sendPending().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async sendPending(): Promise<boolean> {
    const pending = this.read();
    if (!pending) return false;
    try {
      const answer = await this.o.send({ actor: pending.actor, closures: pending.closures });
      this.o.log.info('local closures received by HQ', { effectiveFrom: answer.effectiveFrom, closures: answer.localClosures.length });
    } catch (e) {
      if (e instanceof IpcFailure && e.code === 'HQ_REJECTED') {
        this.refused = e.message;
        this.o.log.warn('local closures refused by HQ', { reason: e.message });
      } else {
        // Away, not enrolled yet, or down: kept for the next HQ status change.
        return false;
      }
    }
    // Received, or refused for good: the same list is not sent again (a newer one may have replaced it meanwhile).
    if (JSON.stringify(this.read()) === JSON.stringify(pending)) fs.rmSync(path.join(this.o.dir, FILE), { force: true });
    return this.refused === null;
  }

  private read(): Pending | null {
    try {
      return this.file.read();
    } catch {
      return null; // unreadable: set aside by JsonFile; the head enters the closures again
    }
  }
}
