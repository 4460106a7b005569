import { describe, expect, it } from 'vitest';
import { CHANNELS, contract, type Channel } from '@shared/ipc/contract';
import { displaySnapshot } from './display-fixtures';
import { makeCore, setupPayload } from './helpers';

// For each channel, requests that must be refused with INVALID_PAYLOAD before any handler runs.
const badPayloads: Record<Channel, unknown[]> = {
  'app.info': [{ x: 1 }, 'info', 0],
  'app.setBusy': [undefined, { busy: 'yes' }],
  'settings.get': [{}, null],
  'settings.set': [
    { autoLockMinutes: 0 },
    { language: 'fr' },
    { updateUrl: 'ftp://x' },
    { unknownKey: 1 },
    'id',
    { localClosures: [{ date: '2026-02-30', note: 'x' }] },
    { localClosures: [{ date: '2026-12-07', note: '' }] },
    { localClosures: [{ date: '2026-12-07', note: 'a' }, { date: '2026-12-07', note: 'b' }] },
  ],
  'secrets.dbKey': [{ key: 'x' }],
  'secrets.caseKey': [{ key: 'x' }, 'case'],
  'branch.setup': [undefined, {}, { ...setupPayload, branch: { ...setupPayload.branch, code: 'bad code' } }, { ...setupPayload, head: { ...setupPayload.head, pin: '111111' } }],
  'branch.get': [[]],
  'branch.setZone': [undefined, {}, { zone: 'UTC+8' }, { zone: 'wita' }, { zone: 'WITA', code: 'X' }],
  'branch.setLocalClosures': [undefined, {}, { localClosures: [{ date: '2026-02-30', note: 'x' }] }, { localClosures: [{ date: '2026-12-07', note: 'a' }, { date: '2026-12-07', note: 'b' }] }, { localClosures: [], extra: 1 }],
  'branch.localClosuresStatus': [{ refresh: true }],
  'staff.signIn': [undefined, { staffId: 'kepala.uji' }, { staffId: 'kepala.uji', pin: '12ab56' }, { staffId: 'X', pin: '123456' }],
  'staff.signOut': [{ all: true }],
  'staff.session': [1],
  'staff.lock': [true],
  'staff.unlock': [undefined, { pin: 12345 }, { pin: '1234567' }],
  'staff.list': [{ role: 'head' }],
  'staff.add': [undefined, { staffId: 'petugas.a', name: 'Petugas A', role: 'guard', pin: '802417' }, { staffId: 'petugas.a', name: 'P', role: 'officer', pin: '802417' }],
  'staff.setActive': [undefined, { staffId: 'petugas.a' }, { staffId: 'petugas.a', active: 'no' }],
  'staff.resetPin': [undefined, { staffId: 'petugas.a' }, { staffId: 'petugas.a', pin: '123456' }, { staffId: 'X', pin: '571938' }],
  'staff.changePin': [undefined, { pin: '571938' }, { pin: '571938', newPin: '111111' }, { pin: 'abc', newPin: '640281' }],
  'staff.setLanguage': [undefined, { language: 'fr' }, { language: 1 }],
  'update.status': [{ force: true }],
  'hq.enrol': [
    undefined,
    { url: 'ftp://hq.example', code: 'ABCD-EFGH-JKMN', deviceName: 'PC 1' },
    { url: 'https://hq.example', code: 'ABCD-EFGH-JKM', deviceName: 'PC 1' },
    { url: 'https://hq.example', code: 'ABCD-EFGH-JKMI', deviceName: 'PC 1' },
    { url: 'https://hq.example', code: 'ABCD-EFGH-JKMN', deviceName: '' },
    { url: 'https://hq.example', code: 'ABCD-EFGH-JKMN', deviceName: 'PC\u0000' },
    { url: 'https://hq.example', code: 'ABCD-EFGH-JKMN', deviceName: 'PC 1', token: 'x' },
  ],
  'hq.status': [{ refresh: true }],
  'hq.quarantine': [null, 'all', { before: 0 }, { before: -3 }, { before: 1.5 }, { before: '12' }, { limit: 500 }],
  'hq.auditFlags': [null, { before: 0 }, { before: '12' }, { limit: 500 }],
  'sync.pull': [
    undefined,
    { collection: 'people', checkpoint: null, limit: 10 },
    { collection: 'tickets', checkpoint: { id: 'a' }, limit: 10 },
    { collection: 'tickets', checkpoint: null, limit: 0 },
    { collection: 'tickets', checkpoint: null, limit: 5000 },
    { collection: 'tickets', checkpoint: { id: 'a', seq: -1 }, limit: 10 },
    { collection: 'tickets', limit: 10 },
    { collection: 'tickets', checkpoint: null, limit: 10, via: 'lan' },
  ],
  'sync.push': [
    undefined,
    { collection: 'tickets', rows: [] },
    { collection: 'staff', rows: [{ assumedMasterState: null, newDocumentState: { id: 'a' } }] },
    { collection: 'tickets', rows: [{ newDocumentState: { id: 'a' } }] },
    { collection: 'tickets', rows: [{ assumedMasterState: null, newDocumentState: { name: 'no id' } }] },
    { collection: 'tickets', rows: [{ assumedMasterState: { id: 'b' }, newDocumentState: { id: 'a' } }] },
    { collection: 'tickets', rows: [{ assumedMasterState: null, newDocumentState: { id: 'a' } }], via: 'both' },
    // Text with U+0000 is no longer refused here: HQ quarantines such a record on its own (b71ba73).
    {
      collection: 'tickets',
      rows: [
        { assumedMasterState: null, newDocumentState: { id: 'a' } },
        { assumedMasterState: null, newDocumentState: { id: 'a' } },
      ],
    },
  ],
  'sync.atHq': [
    undefined,
    { collection: 'tickets', records: [] },
    { collection: 'staff', records: [{ id: 'a', fp: 'x' }] },
    { collection: 'tickets', ids: ['a'] },
    { collection: 'tickets', records: [{ id: 'a' }] },
    { collection: 'tickets', records: Array.from({ length: 501 }, (_, i) => ({ id: `t${i}`, fp: 'x' })) },
  ],
  /* Branch hub */
  'hub.status': [{ refresh: true }],
  'hub.become': [{ port: 1 }, 'now'],
  'hub.release': [{ force: true }],
  'hub.callNext': [undefined, { services: [], counter: '1' }, { services: ['jmo-reset'], counter: '0' }, { services: ['loket'], counter: '1' }, { services: ['jmo-reset'], counter: '1', staffId: 'kepala.uji' }, { services: ['jmo-reset'], counter: '1' }, { services: ['jmo-reset'], counter: '1', requestId: 'press-1' }],
  'hub.setAddress': [undefined, { host: '', port: 47600 }, { host: 'hub pc', port: 47600 }, { host: '10.0.0.2', port: 0 }, { host: '10.0.0.2', port: 70000 }, { host: '10.0.0.2' }, { host: '10.0.0.2', port: 47600, fp: 'AB' }],
  'hub.pair': [undefined, { host: '10.0.0.2', port: 47600 }, { host: '10.0.0.2', port: 47600, code: '1234' }, { host: '10.0.0.2', port: 47600, code: 'abcd-efgh' }, { host: '', port: 47600, code: '1234-5678' }],
  'hub.discovered': [undefined, { refresh: 'yes' }, { refresh: true, all: true }],
  /* Print */
  'handcarry.publicKey': [{ role: 'head' }, 'key'],
  'handcarry.sign': [{}, { exportId: 'x', part: '', last: true, recordCount: 0 }, { exportId: '3f0e6a5e-4f7e-4c1a-9a51-0a9d5c1e2b3c', part: 'x'.repeat(16 * 1024 + 1), last: true, recordCount: 0 }, { exportId: '3f0e6a5e-4f7e-4c1a-9a51-0a9d5c1e2b3c', part: '', last: true, recordCount: -1 }],
  'audit.anchor': [{}, { seq: 0, hash: 'a'.repeat(64) }, { seq: 1, hash: 'A'.repeat(64) }, { seq: 1, hash: 'a'.repeat(64), extra: 1 }],
  'audit.sign': [{}, { entry: {} }, { entry: { deviceId: 'd', seq: 1, at: '2026-03-02T08:00:00Z', actor: { staffId: 'x', role: 'head' }, action: 'case.opened', subject: { kind: 'case', id: 'c' }, details: {}, prevHash: '0'.repeat(64), hash: 'a'.repeat(64), signature: 'x'.repeat(86) } }],
  'print.page': [{ copies: 2 }, 'now', { kind: 'poster', name: 'x', heightMm: 100 }, { kind: 'ticket', name: '../x', heightMm: 100 }, { kind: 'ticket', name: 'x', heightMm: 0 }],
  'print.printers': [{ refresh: true }],
  'print.setup': [
    undefined,
    {},
    { ticket: { printer: null, paper: 'roll80' }, slip: { printer: null, paper: 'roll80' }, receipt: { printer: null, paper: 'roll76' } },
    { ticket: { printer: '', paper: 'roll80' }, slip: { printer: null, paper: 'roll80' }, receipt: { printer: null, paper: 'a4' } },
  ],
  'print.pdf': [undefined, {}, { name: '../etc/passwd' }, { name: 'Kwitansi' }, { name: 'a'.repeat(61) }, { name: 'ok', dir: '/tmp' }],
  /* Display */
  'display.publish': [
    undefined,
    {},
    { ...displaySnapshot, called: [{ ...displaySnapshot.called[0], number: 'Budi Santoso' }] },
    { ...displaySnapshot, called: [{ ...displaySnapshot.called[0], nik: '3171012501900003' }] },
    { ...displaySnapshot, called: [{ ...displaySnapshot.called[0], counter: '<script>' }] },
    { ...displaySnapshot, nextUp: [{ service: 'haircut', numbers: [] }] },
    { ...displaySnapshot, averageWaitMinutes: -1 },
    { ...displaySnapshot, pledge: '' },
    { ...displaySnapshot, called: Array.from({ length: 13 }, () => displaySnapshot.called[0]) },
    { ...displaySnapshot, person: { name: 'X' } },
  ],
  'display.get': [{ since: 1 }],
  'display.open': [{ monitor: 2 }],
  'display.screens': [{ refresh: true }],
  'display.setScreens': [undefined, { displayHost: true, monitor: null }, { displayHost: 'yes', monitor: null, kiosk: false }, { displayHost: true, monitor: 1.5, kiosk: false }],
  'display.exitKiosk': [undefined, { staffId: 'kepala.uji' }, { staffId: 'kepala.uji', pin: '12ab56' }, { staffId: 'kepala.uji', pin: '802417', kiosk: true }],
  /* Journal */
  'journal.append': [
    undefined,
    { entries: [] },
    { entries: [{ collection: 'staff', id: 'a', doc: {} }] },
    { entries: [{ collection: 'tickets', id: '', doc: {} }] },
    { entries: [{ collection: 'tickets', id: 'a', doc: 'text' }] },
    { entries: Array.from({ length: 17 }, (_, i) => ({ collection: 'audit', id: `a${i}`, doc: {} })) },
    { entries: [{ collection: 'tickets', id: 'a', doc: {} }], fsync: false },
  ],
  'journal.records': [{ since: 3 }],
  'journal.sentinel': [undefined, {}, { database: '../x' }, { database: 'Loket-UJI' }],
  'journal.setSentinel': [undefined, { database: 'loket-uji01' }, { database: 'loket-uji01', epoch: 'short' }, { database: 'loket-uji01', epoch: 'a/b/c/d/e/f/g/h' }],
  'device.decommission': [{ confirm: true }, 'yes'],
};

describe('the bridge contract', () => {
  it('names every channel domain.verb', () => {
    for (const name of CHANNELS) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    expect(Object.keys(badPayloads).sort()).toEqual([...CHANNELS].sort());
  });

  for (const channel of CHANNELS) {
    it(`${channel}: a bad payload gets a typed INVALID_PAYLOAD error, not a throw`, async () => {
      const { core } = makeCore();
      const cases = badPayloads[channel];
      expect(cases.length).toBeGreaterThan(0);
      for (const payload of cases) {
        const result = await core.dispatch('client-1', channel, payload);
        expect(result, `${channel} with ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
        // The schema itself agrees the payload is bad: the test data is not wrong by accident.
        expect(contract[channel].request.safeParse(payload).success).toBe(false);
      }
    });
  }

  it('field problems come back with their paths', async () => {
    const { core } = makeCore();
    const result = await core.dispatch('c', 'staff.signIn', { staffId: 'kepala.uji', pin: '12' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.details?.issues?.map((i) => i.path)).toContain('pin');
  });

  it('an unknown channel or a non-string channel gets UNKNOWN_CHANNEL', async () => {
    const { core } = makeCore();
    for (const channel of ['fs.readFile', '__proto__', 'constructor', 42, null]) {
      expect(await core.dispatch('c', channel, undefined)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    }
  });

  it('before first run only public and setup channels answer', async () => {
    const { core } = makeCore();
    expect(await core.dispatch('c', 'app.info', undefined)).toMatchObject({ ok: true, value: { setupComplete: false, branch: null } });
    expect(await core.dispatch('c', 'staff.list', undefined)).toMatchObject({ ok: false, error: { code: 'SETUP_REQUIRED' } });
    expect(await core.dispatch('c', 'staff.signIn', { staffId: 'kepala.uji', pin: '802417' })).toMatchObject({
      ok: false,
      error: { code: 'SETUP_REQUIRED' },
    });
  });

  it('role rules: an officer cannot list or add staff, or change settings', async () => {
    const { core } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    const added = await core.dispatch('head', 'staff.add', { staffId: 'petugas.a', name: 'Petugas A', role: 'officer', pin: '480213' });
    expect(added.ok).toBe(true);
    expect(await core.dispatch('officer', 'staff.signIn', { staffId: 'petugas.a', pin: '480213' })).toMatchObject({ ok: true });
    for (const [channel, payload] of [
      ['staff.list', undefined],
      ['staff.add', { staffId: 'petugas.b', name: 'Petugas B', role: 'head', pin: '480213' }],
      ['settings.set', { autoLockMinutes: 60 }],
    ] as const) {
      expect(await core.dispatch('officer', channel, payload)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    }
    // Not signed in at all.
    expect(await core.dispatch('stranger', 'secrets.dbKey', undefined)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });

  it('a locked session can only unlock or sign out', async () => {
    const { core } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    expect(await core.dispatch('head', 'staff.lock', undefined)).toMatchObject({ ok: true, value: { locked: true } });
    expect(await core.dispatch('head', 'staff.list', undefined)).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    expect(await core.dispatch('head', 'secrets.dbKey', undefined)).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    expect(await core.dispatch('head', 'staff.unlock', { pin: '802417' })).toMatchObject({ ok: true, value: { locked: false } });
    expect(await core.dispatch('head', 'staff.list', undefined)).toMatchObject({ ok: true });
  });

  it('setup runs once', async () => {
    const { core } = makeCore();
    expect(await core.dispatch('a', 'branch.setup', setupPayload)).toMatchObject({ ok: true, value: { role: 'head' } });
    expect(await core.dispatch('b', 'branch.setup', setupPayload)).toMatchObject({ ok: false, error: { code: 'ALREADY_SET_UP' } });
  });
});
