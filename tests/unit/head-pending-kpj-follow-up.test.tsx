import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../../renderer/src/i18n';
import { PendingFollowUpFields, pendingFollowUpKinds, pendingFollowUpProblem } from '../../renderer/src/screens/head/PendingKpjReviewForm';

// Issue 16 pt 3 and pt 15: the head overturning a pending KPJ chooses its follow-up among every
// kind the rules allow (reopen the case, an appointment with a date and a time, a call back) -
// "call the person back" only when the case recorded a phone number - and an appointment never
// lands on a closed day. Static render: the form's fields as the head sees them.

const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const options = (html: string) => [...html.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], m[2]]);
const noop = () => undefined;
const fields = (o: { phoneRecorded: boolean; followUp: 'reopenCase' | 'appointment' | 'callBack'; dueTime?: string }) =>
  renderToStaticMarkup(
    <PendingFollowUpFields
      phoneRecorded={o.phoneRecorded}
      followUp={o.followUp}
      dueDate="2026-03-09"
      dueTime={o.dueTime ?? ''}
      today="2026-03-02"
      errors={{}}
      onFollowUp={noop}
      onDueDate={noop}
      onDueTime={noop}
    />,
  );

afterEach(async () => {
  await i18n.changeLanguage('id');
});

describe("the head's follow-up of an overturned pending KPJ (issue 16 pt 3, pt 15)", () => {
  it('offers reopening the case, an appointment and a call back, in Indonesian, when the case recorded a phone', async () => {
    await i18n.changeLanguage('id');
    expect(pendingFollowUpKinds(true)).toEqual(['reopenCase', 'appointment', 'callBack']);
    expect(options(fields({ phoneRecorded: true, followUp: 'reopenCase' }))).toEqual([
      ['reopenCase', 'Buka kembali kasus'],
      ['appointment', 'Jadwal kedatangan'],
      ['callBack', 'Hubungi kembali peserta'],
    ]);
  });

  it('offers no call back without a recorded phone, and says why', async () => {
    await i18n.changeLanguage('id');
    expect(pendingFollowUpKinds(false)).toEqual(['reopenCase', 'appointment']);
    const html = fields({ phoneRecorded: false, followUp: 'reopenCase' });
    expect(options(html).map(([v]) => v)).toEqual(['reopenCase', 'appointment']);
    expect(text(html)).toContain('Hubungi kembali peserta hanya dapat dipilih bila kasus mencatat nomor telepon');
  });

  it('an appointment asks for a date and a time; the other kinds for a date only', async () => {
    await i18n.changeLanguage('id');
    const appointment = fields({ phoneRecorded: true, followUp: 'appointment', dueTime: '09:30' });
    expect(appointment).toMatch(/<input[^>]*type="date"[^>]*value="2026-03-09"/);
    expect(appointment).toMatch(/<input[^>]*type="time"[^>]*value="09:30"/);
    expect(text(appointment)).toContain('Jam kedatangan');
    const reopen = fields({ phoneRecorded: true, followUp: 'reopenCase' });
    expect(reopen).toMatch(/type="date"/);
    expect(reopen).not.toMatch(/type="time"/);
  });

  it('the same choice reads in English', async () => {
    await i18n.changeLanguage('en');
    expect(options(fields({ phoneRecorded: true, followUp: 'callBack' })).map(([, label]) => label)).toEqual(['Reopen the case', 'Appointment', 'Call the person back']);
  });

  it('checks the date before saving: not before today, an appointment with a time and never on a closed day', () => {
    const ok = { phoneRecorded: true, today: '2026-03-02' };
    expect(pendingFollowUpProblem({ ...ok, followUp: 'reopenCase', dueDate: '2026-03-09', dueTime: '' })).toBeNull();
    expect(pendingFollowUpProblem({ ...ok, followUp: 'reopenCase', dueDate: '2026-03-01', dueTime: '' })).toEqual({ field: 'dueDate', why: 'dueDateRequired' });
    expect(pendingFollowUpProblem({ ...ok, followUp: 'appointment', dueDate: '2026-03-09', dueTime: '' })).toEqual({ field: 'dueTime', why: 'dueTimeRequired' });
    expect(pendingFollowUpProblem({ ...ok, followUp: 'appointment', dueDate: '2026-03-09', dueTime: '09:30' })).toBeNull();
    // 2026-03-07 is a Saturday; an appointment is never proposed on a closed day.
    expect(pendingFollowUpProblem({ ...ok, followUp: 'appointment', dueDate: '2026-03-07', dueTime: '09:30' })).toMatchObject({ field: 'dueDate', why: 'closedDay' });
    expect(pendingFollowUpProblem({ ...ok, phoneRecorded: false, followUp: 'callBack', dueDate: '2026-03-09', dueTime: '' })).toEqual({ field: 'followUp', why: 'NO_PHONE' });
  });

  it("never sets an appointment on a day the branch itself is closed (the head's local closures, this PC's or HQ's)", () => {
    const ok = { phoneRecorded: true, today: '2026-03-02', followUp: 'appointment' as const, dueTime: '09:30' };
    const localClosures = [{ date: '2026-03-09', note: 'Renovasi ruang tunggu' }];
    // A Monday, open by the national calendar, closed by the branch.
    expect(pendingFollowUpProblem({ ...ok, dueDate: '2026-03-09' })).toBeNull();
    expect(pendingFollowUpProblem({ ...ok, dueDate: '2026-03-09', localClosures })).toEqual({
      field: 'dueDate',
      why: 'closedDay',
      closedDay: { date: '2026-03-09', kind: 'local', name: 'Renovasi ruang tunggu' },
    });
    expect(pendingFollowUpProblem({ ...ok, dueDate: '2026-03-10', localClosures })).toBeNull();
    // Reopening the case is not an appointment: its date is when the case is due, not a visit.
    expect(pendingFollowUpProblem({ ...ok, followUp: 'reopenCase', dueDate: '2026-03-09', dueTime: '', localClosures })).toBeNull();
  });
});
