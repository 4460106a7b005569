import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LocalClosuresOutbox, type LocalClosuresSend } from '../../../main/local-closures';
import { IpcFailure } from '@shared/ipc/result';
import { memoryLog, tempDir } from './helpers';

// Issue 16 pt 10 on the PC: the head's local closures go to HQ (which versions them in the branch's
// case rules); with HQ away they are kept on the PC, survive a restart, and are sent when HQ is back.

const head = { staffId: 'kepala.uji', role: 'head' as const };

function hq() {
  const sent: Parameters<LocalClosuresSend>[0][] = [];
  let mode: 'up' | 'down' | 'refuse' | 'not-enrolled' = 'down';
  const send: LocalClosuresSend = (body) => {
    if (mode === 'down') return Promise.reject(new IpcFailure('HQ_UNREACHABLE', 'HQ is not reachable: connect ECONNREFUSED'));
    if (mode === 'not-enrolled') return Promise.reject(new IpcFailure('HQ_NOT_ENROLLED', 'This device is not connected to HQ yet.'));
    if (mode === 'refuse') return Promise.reject(new IpcFailure('HQ_REJECTED', 'HQ refused the request (FORBIDDEN_ROLE: Only the branch head sets local closures).'));
    sent.push(body);
    return Promise.resolve({ effectiveFrom: '2026-12-06', localClosures: [...body.closures] });
  };
  return { sent, send, set: (m: typeof mode) => (mode = m) };
}

describe('local closures outbox (PC -> HQ)', () => {
  it('HQ away: kept on the PC (across a restart) and sent once when HQ is back; the latest list wins', async () => {
    const dir = tempDir();
    const h = hq();
    const box = new LocalClosuresOutbox({ dir, send: h.send, log: memoryLog() });
    expect(box.status()).toEqual({ pending: false, refused: null });
    expect(await box.submit(['2026-12-24'], head)).toEqual({ sentToHq: false });
    expect(await box.submit(['2026-12-24', '2026-12-28'], head)).toEqual({ sentToHq: false });
    expect(box.status().pending).toBe(true);

    // Restarted PC: still pending; HQ not enrolled yet is the same as away.
    h.set('not-enrolled');
    const again = new LocalClosuresOutbox({ dir, send: h.send, log: memoryLog() });
    expect(again.status().pending).toBe(true);
    expect(await again.flush()).toBe(false);
    expect(again.status().pending).toBe(true);

    h.set('up');
    expect(await again.flush()).toBe(true);
    expect(h.sent).toEqual([{ actor: head, closures: ['2026-12-24', '2026-12-28'] }]);
    expect(again.status()).toEqual({ pending: false, refused: null });
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('local-closures'))).toEqual([]);
    // Nothing left to send.
    expect(await again.flush()).toBe(false);
    expect(h.sent).toHaveLength(1);
  });

  it('HQ up: sent at once; HQ refusing is reported, not retried for ever', async () => {
    const dir = tempDir();
    const h = hq();
    h.set('up');
    const box = new LocalClosuresOutbox({ dir, send: h.send, log: memoryLog() });
    expect(await box.submit([], head)).toEqual({ sentToHq: true });
    expect(h.sent).toEqual([{ actor: head, closures: [] }]);

    h.set('refuse');
    expect(await box.submit(['2026-12-24'], { staffId: 'admin.uji', role: 'admin' })).toEqual({ sentToHq: false });
    expect(box.status().pending).toBe(false);
    expect(box.status().refused).toMatch(/FORBIDDEN_ROLE/);
    h.set('up');
    expect(await box.flush()).toBe(false);
    expect(h.sent).toHaveLength(1);
  });
});
