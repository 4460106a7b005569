import type { Channel } from '@shared/ipc/contract';
import type { Session } from '@shared/staff/schema';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_GRACE_MS } from './accounts';

/** Calls a page makes on its own (replication, status bars, the display): not a person at the PC. */
const BACKGROUND: ReadonlySet<Channel> = new Set<Channel>([
  'app.info',
  'staff.session',
  'update.status',
  'hq.status',
  'hub.status',
  'hub.discovered',
  'sync.pull',
  'sync.push',
  'sync.atHq',
  'display.publish',
  'display.get',
  'journal.records',
  'journal.sentinel',
  'journal.setSentinel',
]);

export interface SessionTimeouts {
  now: () => Date;
  /** The PC's auto-lock time (settings), in minutes. */
  autoLockMinutes: () => number;
  /** Desktop app: time since the last keyboard or mouse input on this PC (powerMonitor); absent: since the client's last call of its own. */
  inputIdleMs?: (() => number) | undefined;
  /** Tells the client its session changed (locked, or ended: null). */
  changed: (clientId: string, session: Session | null) => void;
}

/**
 * The sessions main holds, one per window or page, with timeouts main enforces itself (issue 18):
 * a session idle past the auto-lock time is locked, one past SESSION_ABSOLUTE_MS since sign-in is
 * ended, whatever the renderer does.
 */
export class SessionTable extends Map<string, Session> {
  private readonly activeAt = new Map<string, number>();

  constructor(private readonly t: SessionTimeouts) {
    super();
  }

  override set(clientId: string, session: Session): this {
    // Signing in or unlocking is activity.
    if (!session.locked) this.activeAt.set(clientId, this.t.now().getTime());
    return super.set(clientId, session);
  }

  override delete(clientId: string): boolean {
    this.activeAt.delete(clientId);
    return super.delete(clientId);
  }

  /** The client's session as of now (timeouts applied); a call of its own counts as activity. */
  current(clientId: string, channel: Channel | null): Session | null {
    const session = this.get(clientId);
    if (!session) return null;
    const now = this.t.now().getTime();
    if (now - Date.parse(session.signedInAt) > SESSION_ABSOLUTE_MS) {
      this.delete(clientId);
      this.t.changed(clientId, null);
      return null;
    }
    if (!session.locked) {
      const idle = this.t.inputIdleMs ? this.t.inputIdleMs() : now - (this.activeAt.get(clientId) ?? now);
      if (idle > this.t.autoLockMinutes() * 60_000 + SESSION_IDLE_GRACE_MS) {
        const locked = { ...session, locked: true };
        super.set(clientId, locked);
        this.t.changed(clientId, locked);
        return locked;
      }
    }
    if (channel && !BACKGROUND.has(channel)) this.activeAt.set(clientId, now);
    return session;
  }
}
