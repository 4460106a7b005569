import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkManualAddress, pairWithHub, presentedFingerprint, shortCodeOf } from '../../main/hub/pairing';
import { hubRequest, normalizeFingerprint } from '../../main/hub/pinned';
import { IpcFailure } from '@shared/ipc/result';
import { branchWithHub } from './hub-helpers';
import type { Branch } from './hub-helpers';
import type { TestDevice } from './helpers';

// Pairing with the branch hub when HQ cannot vouch for it (issue 17 pt 3): the head types the code
// shown on the hub PC; main reads the certificate at the address (sending nothing), checks the code
// and that the hub serves this PC's branch, and only then gives back what to pin.

let br: Branch;
beforeAll(async () => {
  br = await branchWithHub('hub-pairing');
});
afterAll(async () => {
  await br?.close();
});

const branchAtAs = (device: TestDevice) => (url: string, fingerprint: string) => hubRequest(`${url}/v1/branch`, fingerprint, { headers: device.auth, timeoutMs: 5_000 });
const hostPort = () => ({ host: '127.0.0.1', port: br.hub.port });

async function failure(p: Promise<unknown>): Promise<IpcFailure> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof IpcFailure)) throw new Error(`expected an IpcFailure, got ${String(e)}`);
  return e;
}

describe('pairing code', () => {
  it('is 8 digits grouped 4-4, derived from the fingerprint however it is written', () => {
    const code = shortCodeOf(br.hub.fingerprint);
    expect(code).toMatch(/^\d{4}-\d{4}$/);
    expect(shortCodeOf(normalizeFingerprint(br.hub.fingerprint).toLowerCase())).toBe(code);
    // Another certificate, another code (one hex digit changed).
    const other = normalizeFingerprint(br.hub.fingerprint).replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect(shortCodeOf(other)).not.toBe(code);
  });

  it('main reads the certificate the hub presents, sending nothing', async () => {
    expect(await presentedFingerprint('127.0.0.1', br.hub.port)).toBe(br.hub.fingerprint);
  });
});

describe('hub.pair', () => {
  it('the right code at the right address: the hub of this branch is given back to pin', async () => {
    const code = shortCodeOf(br.hub.fingerprint);
    const typed = code.replace('-', ' '); // as a person may type it
    const pinned = await pairWithHub({ ...hostPort(), code: typed }, { branchCode: br.a, branchAt: branchAtAs(br.pc1) });
    expect(pinned).toEqual({ url: br.hub.url, fingerprint: br.hub.fingerprint });
  });

  it('a wrong code: refused before anything is sent to the hub, nothing to pin', async () => {
    const code = shortCodeOf(br.hub.fingerprint);
    const wrong = code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
    let asked = false;
    const e = await failure(
      pairWithHub(
        { ...hostPort(), code: wrong },
        {
          branchCode: br.a,
          branchAt: async (u, f) => {
            asked = true;
            return branchAtAs(br.pc1)(u, f);
          },
        },
      ),
    );
    expect(e.code).toBe('HUB_CODE_WRONG');
    expect(asked).toBe(false); // the device token never left this PC
    expect((await failure(pairWithHub({ ...hostPort(), code: '1234' }, { branchCode: br.a, branchAt: branchAtAs(br.pc1) }))).code).toBe('HUB_CODE_WRONG');
  });

  it('a PC of another branch is refused by the hub; a hub answering for another branch is refused by the PC', async () => {
    const code = shortCodeOf(br.hub.fingerprint);
    const refused = await failure(pairWithHub({ ...hostPort(), code }, { branchCode: br.b, branchAt: branchAtAs(br.pcB) }));
    expect(refused.code).toBe('HUB_REJECTED');
    expect(refused.details?.hq?.code).toBe('UNKNOWN_DEVICE');
    // This PC believes it is of branch B while the hub (rightly) serves A.
    const other = await failure(pairWithHub({ ...hostPort(), code }, { branchCode: br.b, branchAt: branchAtAs(br.pc1) }));
    expect(other.code).toBe('HUB_REJECTED');
    expect(other.message).toContain(br.a);
    expect(other.details?.hq).toMatchObject({ code: 'OTHER_BRANCH', details: { hubBranch: br.a } });
  });

  it('nothing listening, or no TLS at the address: unreachable, with what to check', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const e = await failure(pairWithHub({ host: '127.0.0.1', port: closed, code: '1234-5678' }, { branchCode: br.a, branchAt: branchAtAs(br.pc1), timeoutMs: 2_000 }));
    expect(e.code).toBe('HUB_UNREACHABLE');
    // HQ's plain HTTP port is not a hub.
    const plain = Number(new URL(br.hqUrl).port);
    const e2 = await failure(pairWithHub({ host: '127.0.0.1', port: plain, code: '1234-5678' }, { branchCode: br.a, branchAt: branchAtAs(br.pc1), timeoutMs: 2_000 }));
    expect(e2.code).toBe('HUB_UNREACHABLE');
  });
});

describe('hub.setAddress', () => {
  it('an address is used only when the hub there shows the pinned certificate; otherwise pairing is asked for', async () => {
    expect(await checkManualAddress(hostPort(), normalizeFingerprint(br.hub.fingerprint))).toEqual({ url: br.hub.url, fingerprint: br.hub.fingerprint });
    const notPinned = await failure(checkManualAddress(hostPort(), null));
    expect(notPinned.details?.hq?.code).toBe('NOT_PAIRED');
    const otherPin = await failure(checkManualAddress(hostPort(), 'AB'.repeat(32)));
    expect(otherPin.code).toBe('HUB_REJECTED');
    expect(otherPin.details?.hq?.code).toBe('NOT_PAIRED');
  });
});
