import { describe, expect, it } from 'vitest';
import { makeCore, setupPayload } from '../main/helpers';

// Issue 16 (9): the branch's zone lives in its profile; the head sets it; absent = WIB.
describe('branch zone in the profile (main)', () => {
  it('a profile set up without a zone is WIB; the head sets WITA and it is kept', async () => {
    const { core } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    expect(await core.dispatch('head', 'app.info', undefined)).toMatchObject({ ok: true, value: { branch: { zone: 'WIB' } } });
    expect(await core.dispatch('head', 'branch.setZone', { zone: 'WITA' })).toMatchObject({ ok: true, value: { zone: 'WITA', code: setupPayload.branch.code } });
    expect(await core.dispatch('head', 'branch.get', undefined)).toMatchObject({ ok: true, value: { zone: 'WITA' } });
    expect(await core.dispatch('head', 'app.info', undefined)).toMatchObject({ ok: true, value: { branch: { zone: 'WITA' } } });
  });

  it('an officer cannot change the zone; a zone outside WIB/WITA/WIT is refused', async () => {
    const { core } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    await core.dispatch('head', 'staff.add', { staffId: 'petugas.a', name: 'Petugas A', role: 'officer', pin: '480213' });
    await core.dispatch('officer', 'staff.signIn', { staffId: 'petugas.a', pin: '480213' });
    expect(await core.dispatch('officer', 'branch.setZone', { zone: 'WIT' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_ROLE' } });
    expect(await core.dispatch('head', 'branch.setZone', { zone: 'UTC+8' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await core.dispatch('head', 'branch.get', undefined)).toMatchObject({ ok: true, value: { code: setupPayload.branch.code } });
  });

  it('local closures are stored in settings, one per date', async () => {
    const { core } = makeCore();
    await core.dispatch('head', 'branch.setup', setupPayload);
    const closures = [{ date: '2026-12-07', note: 'Renovasi kantor' }];
    expect(await core.dispatch('head', 'settings.set', { localClosures: closures })).toMatchObject({ ok: true, value: { localClosures: closures } });
    expect(await core.dispatch('head', 'settings.get', undefined)).toMatchObject({ ok: true, value: { localClosures: closures } });
  });
});
