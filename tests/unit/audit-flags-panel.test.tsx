import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, describe, expect, it } from 'vitest';
import i18n from '../../renderer/src/i18n';
import { withOlderPage } from '../../renderer/src/data/hooks/audit-flags';
import { AuditFlagsView, auditFlagText } from '../../renderer/src/screens/head/AuditFlagsPanel';
import { AUDIT_FLAG_KINDS, type AuditFlagView } from '@shared/sync/audit-flags';

// HQ's audit flags on the head's review page (issues 16, 17, 18 pt 7): each kind in the head's
// words with what it is about and its day in words, HQ's own wording in small type after it; an
// empty list, a failed load and the first load each said plainly. Rendered server-side.

const DEVICE = '0f6c1a52-8f4e-4c1e-9a57-3b0c2d7e9f10';
const flag = (kind: AuditFlagView['kind'], extra: Partial<AuditFlagView> = {}): AuditFlagView => ({
  flagId: 1,
  kind,
  deviceId: DEVICE,
  chain: 'renderer',
  seq: 4,
  subject: 'UJI01-PKJ-0001',
  date: '2026-03-07',
  reason: 'pending KPJ follow-up (appointment) of case UJI01-PKJ-0001 on 2026-03-07, a day the branch is closed (weekend)',
  flaggedAt: '2026-03-02T04:00:00.000Z',
  ...extra,
});

const render = (state: Omit<Parameters<typeof AuditFlagsView>[0]['state'], 'more'> & { more?: boolean }) =>
  renderToStaticMarkup(<AuditFlagsView t={i18n.t} language={i18n.language} zone="WIB" state={{ more: false, ...state }} onReload={() => undefined} onOlder={() => undefined} />).replace(
    /<!-- -->/g,
    '',
  );

afterAll(async () => {
  await i18n.changeLanguage('id');
});

describe('Catatan audit dari HQ on the head’s review page', () => {
  it('says each kind in Indonesian, with its case, staff or record and the day in words', async () => {
    await i18n.changeLanguage('id');
    const t = i18n.t;
    expect(auditFlagText(t, flag('closedDay'), 'id')).toBe('Janji tindak lanjut KPJ tertunda (kasus UJI01-PKJ-0001) jatuh pada Sabtu, 7 Maret 2026, hari cabang tutup.');
    expect(auditFlagText(t, flag('notStaff', { subject: 'orang.lain', date: null }), 'id')).toBe(
      'Tindakan tercatat atas nama orang.lain, yang tidak terdaftar sebagai petugas cabang ini di HQ.',
    );
    expect(auditFlagText(t, flag('authorless', { subject: 'tickets/3f1d', date: null, deviceId: null, chain: 'record', seq: null }), 'id')).toMatch(
      /^Data tickets\/3f1d sampai di HQ hanya lewat PC lain: PC yang menulisnya belum pernah mengirimnya sendiri\./,
    );
    // Every kind has its own words in both languages (never the key itself).
    for (const lang of ['id', 'en']) {
      await i18n.changeLanguage(lang);
      const texts = AUDIT_FLAG_KINDS.map((k) => auditFlagText(i18n.t, flag(k), lang));
      for (const text of texts) expect(text).not.toMatch(/auditFlags\.|\{\{/);
      expect(new Set(texts).size).toBe(AUDIT_FLAG_KINDS.length);
    }
    await i18n.changeLanguage('en');
    expect(auditFlagText(i18n.t, flag('tooLate', { date: '2026-03-20' }), 'en')).toBe(
      'The follow-up of a pending KPJ (case UJI01-PKJ-0001) is due Friday 20 March 2026, past the allowed working days.',
    );
  });

  it('lists the flags with when HQ noted them and from which PC, and HQ’s wording in small type', async () => {
    await i18n.changeLanguage('id');
    const html = render({ flags: [flag('closedDay', { flagId: 2 }), flag('notStaff', { flagId: 1, subject: 'orang.lain', date: null })], error: null, loading: false });
    expect(html).toContain('Catatan audit dari HQ');
    expect(html).toContain('2 catatan dari HQ');
    expect(html).toContain('data-flag-kind="closedDay"');
    expect(html).toContain('data-flag-kind="notStaff"');
    expect(html).toContain('Dicatat HQ Senin, 2 Maret 2026, 11.00 · PC 0f6c1a52');
    expect(html).toMatch(/<small class="muted mono">Keterangan HQ: pending KPJ follow-up/);
  });

  it('says when there is nothing, while loading, and when HQ cannot be reached', async () => {
    await i18n.changeLanguage('id');
    expect(render({ flags: [], error: null, loading: false })).toContain('Tidak ada catatan audit dari HQ untuk cabang ini.');
    expect(render({ flags: null, error: null, loading: true })).toContain('Mengambil catatan dari HQ…');
    const failed = render({ flags: null, error: { code: 'HQ_UNREACHABLE', message: 'HQ unreachable' }, loading: false });
    expect(failed).toContain('Catatan audit dari HQ tidak dapat diambil:');
    expect(failed).not.toContain('HQ_UNREACHABLE');
    // The review page keeps its one alert and one status region for the head's decisions.
    for (const html of [failed, render({ flags: [], error: null, loading: false }), render({ flags: [flag('closedDay')], error: null, loading: false })]) {
      expect(html).not.toMatch(/role="(alert|status)"/);
    }
  });

  it('offers older notes while HQ holds more than the page shown, and adds them below without repeating one', async () => {
    await i18n.changeLanguage('id');
    const page = [flag('closedDay', { flagId: 9 }), flag('tooLate', { flagId: 8 })];
    const more = render({ flags: page, more: true, error: null, loading: false });
    expect(more).toContain('2 catatan terbaru dari HQ ditampilkan; HQ menyimpan yang lebih lama.');
    expect(more).toContain('>Tampilkan catatan yang lebih lama</button>');
    const all = render({ flags: page, more: false, error: null, loading: false });
    expect(all).toContain('2 catatan dari HQ');
    expect(all).not.toContain('lebih lama');
    // While a page is coming, neither button can be pressed again.
    expect(render({ flags: page, more: true, error: null, loading: true }).match(/<button[^>]* disabled=""/g)).toHaveLength(2);
    const older = [flag('tooLate', { flagId: 8 }), flag('notStaff', { flagId: 7 }), flag('wrongRole', { flagId: 6 })];
    expect(withOlderPage(page, older).map((f) => f.flagId)).toEqual([9, 8, 7, 6]);
    expect(withOlderPage([], older).map((f) => f.flagId)).toEqual([8, 7, 6]);
  });
});
