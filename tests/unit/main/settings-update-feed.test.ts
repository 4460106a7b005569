import { describe, expect, it } from 'vitest';
import { en } from '@shared/i18n/en';
import { id } from '@shared/i18n/id';
import { Settings, SettingsPatch } from '@shared/settings';
import { makeCore, setupPayload } from './helpers';

// Issue 18 pt 1/5: the update feed is fixed at build time (main/update-trust.ts); settings cannot
// point it elsewhere, so the settings screen no longer offers an "update URL" that was ignored.

describe('settings hold no update URL', () => {
  it('refuses an update URL in a settings change, even an https one', () => {
    expect(SettingsPatch.safeParse({ updateUrl: 'https://updates.example.test/' }).success).toBe(false);
    expect(SettingsPatch.safeParse({ autoLockMinutes: 5 }).success).toBe(true);
  });

  it('still reads settings saved with one (the key is dropped)', () => {
    const stored = Settings.parse({ language: 'id', autoLockMinutes: 5, updateUrl: 'https://old.example.test/', hqUrl: null });
    expect(stored).not.toHaveProperty('updateUrl');
  });

  it('main refuses it over the bridge and never returns one', async () => {
    const h = makeCore();
    expect(await h.core.dispatch('page-1', 'branch.setup', setupPayload)).toMatchObject({ ok: true });
    expect(await h.core.dispatch('page-1', 'settings.set', { updateUrl: 'https://updates.example.test/' })).toMatchObject({ ok: false });
    const got = await h.core.dispatch('page-1', 'settings.get', undefined);
    expect(got).toMatchObject({ ok: true });
    expect((got as { value: object }).value).not.toHaveProperty('updateUrl');
  });

  it('has no screen text for it in either language', () => {
    expect(en.settings).not.toHaveProperty('updateUrl');
    expect(id.settings).not.toHaveProperty('updateUrl');
    expect(en.settings).not.toHaveProperty('updateUrlHint');
    expect(id.settings).not.toHaveProperty('updateUrlHint');
  });
});
