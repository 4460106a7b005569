import { describe, expect, it } from 'vitest';
import { csvField, csvFileName, toCsv } from '../../../renderer/src/data/reports/csv';
import {
  issuedVsServed,
  localHourOf,
  noShowsByOfficer,
  percentile,
  rangeOf,
  refusalsByOfficer,
  refusalsByReason,
  syncHealth,
  transfersPending,
  waitByHour,
  waitingNow,
  type SyncLike,
  type TicketLike,
} from '../../../renderer/src/data/reports/dashboard';

// Hand-computed fixtures: every expected number below is worked out in the comments.
const wib = (date: string, time: string) => `${date}T${time}:00+07:00`;
const TODAY = '2026-03-02';
const NOW = new Date(wib(TODAY, '15:00'));

/** A ticket issued at `issued`, then each [status, time] on the same day. */
function ticket(id: string, day: string, issued: string, ...steps: Array<[string, string]>): TicketLike {
  const history = [{ status: 'waiting', at: wib(day, issued) }, ...steps.map(([status, time]) => ({ status, at: wib(day, time) }))];
  return { id, status: history.at(-1)!.status, issuedAt: wib(day, issued), history };
}

const TICKETS: TicketLike[] = [
  ticket('T1', TODAY, '08:05', ['called', '08:15'], ['serving', '08:16'], ['done', '08:30']), // wait 10
  ticket('T2', TODAY, '08:10', ['called', '08:40'], ['serving', '08:41'], ['done', '08:55']), // wait 30
  ticket('T3', TODAY, '08:20', ['called', '08:25'], ['no-show', '08:35']), // wait 5, not served
  ticket('T4', TODAY, '08:50', ['called', '09:50'], ['serving', '09:51'], ['done', '10:05']), // wait 60, served in hour 10
  ticket('T5', TODAY, '10:00', ['called', '10:02'], ['serving', '10:03'], ['done', '10:20']), // wait 2
  ticket('T6', TODAY, '10:30'), // still waiting: no wait figure yet
  ticket('T7', '2026-02-27', '09:00', ['called', '09:20'], ['serving', '09:21'], ['done', '09:40']), // 3 days ago, wait 20
  ticket('T8', '2026-02-20', '09:00', ['called', '09:10'], ['done', '09:30']), // 10 days ago: outside both ranges
];

describe('ranges and hours are the branch’s (WIB)', () => {
  it('today and the last 7 days end today', () => {
    expect(rangeOf('today', NOW)).toEqual({ key: 'today', fromDay: TODAY, toDay: TODAY });
    expect(rangeOf('week', NOW)).toEqual({ key: 'week', fromDay: '2026-02-24', toDay: TODAY });
    // 18:30 UTC on 1 March is already 01:30 on 2 March in WIB.
    expect(rangeOf('today', new Date('2026-03-01T18:30:00Z')).toDay).toBe(TODAY);
  });

  it('hour of day in WIB whatever offset the timestamp carries', () => {
    expect(localHourOf('2026-03-02T01:05:00Z')).toBe(8);
    expect(localHourOf(wib(TODAY, '23:59'))).toBe(23);
  });
});

describe('percentiles (nearest rank)', () => {
  it('picks an observed value', () => {
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([7], 0.9)).toBe(7);
    // 1..10: p50 = rank ceil(5) = 5; p90 = rank ceil(9) = 9.
    expect(percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 0.5)).toBe(5);
    expect(percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 0.9)).toBe(9);
  });
});

describe('queue figures', () => {
  it('wait p50/p90 by hour of issue, gaps filled', () => {
    // Hour 8: waits 10, 30, 5, 60 → sorted 5, 10, 30, 60; p50 = rank 2 = 10; p90 = rank ceil(3.6) = 4 = 60.
    // Hour 9: nothing issued. Hour 10: only T5 was called (2); T6 still waits.
    expect(waitByHour(TICKETS, rangeOf('today', NOW))).toEqual([
      { hour: 8, called: 4, p50: 10, p90: 60 },
      { hour: 9, called: 0, p50: null, p90: null },
      { hour: 10, called: 1, p50: 2, p90: 2 },
    ]);
    // The week adds T7 (issued 09:00, wait 20); T8 is 10 days old.
    expect(waitByHour(TICKETS, rangeOf('week', NOW))[1]).toEqual({ hour: 9, called: 1, p50: 20, p90: 20 });
  });

  it('issued by hour of issue, served by hour of the first done', () => {
    // Hour 8: issued T1–T4; served T1 (08:30), T2 (08:55). Hour 10: issued T5, T6; served T4 (10:05), T5 (10:20).
    expect(issuedVsServed(TICKETS, rangeOf('today', NOW))).toEqual([
      { hour: 8, issued: 4, served: 2 },
      { hour: 9, issued: 0, served: 0 },
      { hour: 10, issued: 2, served: 2 },
    ]);
    expect(issuedVsServed(TICKETS, rangeOf('week', NOW))[1]).toEqual({ hour: 9, issued: 1, served: 1 });
  });

  it('no tickets, no rows', () => {
    expect(waitByHour([], rangeOf('today', NOW))).toEqual([]);
    expect(issuedVsServed([], rangeOf('today', NOW))).toEqual([]);
  });
});

describe('people still waiting, and appointments on their own day (issue 16)', () => {
  /** An appointment: booked on `bookedDay` at `bookedAt` for `date` `time`; later steps on `date`. */
  function appointment(id: string, bookedDay: string, bookedAt: string, date: string, time: string, ...steps: Array<[string, string]>): TicketLike {
    const history = [{ status: 'waiting', at: wib(bookedDay, bookedAt) }, ...steps.map(([status, at]) => ({ status, at: wib(date, at) }))];
    return { id, status: history.at(-1)!.status, issuedAt: wib(bookedDay, bookedAt), appointment: { date, time }, history };
  }
  // Booked 3 days ago for today 09:30, called 09:40 (a 10-minute wait from the slot), done 09:50.
  const A1 = appointment('A1', '2026-02-27', '09:00', TODAY, '09:30', ['called', '09:40'], ['serving', '09:41'], ['done', '09:50']);
  // Booked today for tomorrow: nothing of it belongs to today.
  const A2 = appointment('A2', TODAY, '10:40', '2026-03-03', '09:00');
  // Booked earlier for today 16:00: not waiting yet at 15:00.
  const A3 = appointment('A3', '2026-02-26', '11:00', TODAY, '16:00');
  // Called at 14:55 and not yet at the counter: still waiting.
  const T9 = ticket('T9', TODAY, '14:50', ['called', '14:55']);
  const ALL = [...TICKETS, A1, A2, A3, T9];

  it('an appointment counts on its own day, at its slot, not on the day it was booked', () => {
    // Hour 9: A1 (slot 09:30) issued and served; hour 10: T5, T6 only (A2 is tomorrow's); hour 14: T9; hour 16: A3.
    const today = issuedVsServed(ALL, rangeOf('today', NOW));
    expect(today.find((r) => r.hour === 9)).toEqual({ hour: 9, issued: 1, served: 1 });
    expect(today.find((r) => r.hour === 10)).toEqual({ hour: 10, issued: 2, served: 2 });
    expect(today.find((r) => r.hour === 14)).toEqual({ hour: 14, issued: 1, served: 0 });
    expect(today.find((r) => r.hour === 16)).toEqual({ hour: 16, issued: 1, served: 0 });
    // On the day A1 was booked (27 Feb), only T7 was issued at 09:00.
    const feb27 = { key: 'today' as const, fromDay: '2026-02-27', toDay: '2026-02-27' };
    expect(issuedVsServed(ALL, feb27)).toEqual([{ hour: 9, issued: 1, served: 1 }]);
    // Tomorrow's appointment shows on tomorrow.
    const tomorrow = { key: 'today' as const, fromDay: '2026-03-03', toDay: '2026-03-03' };
    expect(issuedVsServed(ALL, tomorrow)).toEqual([{ hour: 9, issued: 1, served: 0 }]);
  });

  it('an appointment’s wait runs from its slot', () => {
    expect(waitByHour(ALL, rangeOf('today', NOW)).find((r) => r.hour === 9)).toEqual({ hour: 9, called: 1, p50: 10, p90: 10 });
  });

  it('counts the people still waiting now (waiting or called, today, their time come), and the longest wait', () => {
    // T6 waits since 10:30 (270 min at 15:00); T9 since 14:50. A3's slot is 16:00; A2 is tomorrow's.
    expect(waitingNow(ALL, NOW)).toEqual({ waiting: 2, longestMinutes: 270 });
    expect(waitingNow([], NOW)).toEqual({ waiting: 0, longestMinutes: null });
    // At 16:10 A3 waits too (10 minutes since its slot).
    expect(waitingNow([A3], new Date(wib(TODAY, '16:10')))).toEqual({ waiting: 1, longestMinutes: 10 });
    // Yesterday's leftovers do not count as waiting today.
    expect(waitingNow([ticket('Y1', '2026-03-01', '14:00')], NOW)).toEqual({ waiting: 0, longestMinutes: null });
  });
});

describe('refusal figures', () => {
  const r = (code: string, status: string, staffId: string, day = TODAY) => ({ code, status, at: wib(day, '09:00'), actor: { staffId } });
  const REFUSALS = [
    r('IDENTITY_NOT_VERIFIED', 'pending', 'officer01'),
    r('IDENTITY_NOT_VERIFIED', 'overturned', 'officer02'),
    r('DOCUMENT_MISSING', 'upheld', 'officer01'),
    r('RESET_ONLY_0800_0830', 'attempted', 'officer02'),
    r('RESET_ONLY_0800_0830', 'attempted', 'officer02', '2026-02-27'),
  ];

  // An overturned refusal is not counted as a standing (valid) refusal: the head ruled it invalid.
  it('by reason: standing refusals, overturned ones apart, and attempts, most first', () => {
    expect(refusalsByReason(REFUSALS, rangeOf('today', NOW))).toEqual([
      { code: 'IDENTITY_NOT_VERIFIED', refused: 1, overturned: 1, attempted: 0 },
      // 1 each: alphabetical.
      { code: 'DOCUMENT_MISSING', refused: 1, overturned: 0, attempted: 0 },
      { code: 'RESET_ONLY_0800_0830', refused: 0, overturned: 0, attempted: 1 },
    ]);
    expect(refusalsByReason(REFUSALS, rangeOf('week', NOW)).map((x) => x.code)).toEqual(['IDENTITY_NOT_VERIFIED', 'RESET_ONLY_0800_0830', 'DOCUMENT_MISSING']);
  });

  it('by officer', () => {
    expect(refusalsByOfficer(REFUSALS, rangeOf('today', NOW))).toEqual([
      { staffId: 'officer01', refused: 2, overturned: 0, attempted: 0 },
      { staffId: 'officer02', refused: 0, overturned: 1, attempted: 1 },
    ]);
  });
});

describe('transfers pending', () => {
  it('counts the requested ones, incoming and outgoing, and those past their SLA deadline', () => {
    const t = (id: string, status: string, deadline: string, from = 'UJI01', to = 'SBY01') => ({ id, caseId: `C-${id}`, fromBranch: from, toBranch: to, status, slaDeadline: deadline, at: wib(TODAY, '09:00') });
    const summary = transfersPending(
      [
        t('X2', 'requested', wib('2026-03-03', '15:00')),
        t('X1', 'requested', wib(TODAY, '14:00')),
        t('X3', 'accepted', wib(TODAY, '10:00')),
        t('X4', 'declined', wib(TODAY, '10:00')),
        // Sent to us by Surabaya; its deadline is exactly now: not yet past it.
        t('X5', 'requested', wib(TODAY, '15:00'), 'SBY01', 'UJI01'),
      ],
      NOW,
      'UJI01',
    );
    expect(summary).toMatchObject({ pending: 3, overdue: 1, incoming: { pending: 1, overdue: 0 }, outgoing: { pending: 2, overdue: 1 } });
    expect(summary.rows.map((x) => [x.id, x.direction, x.branch, x.overdue, x.minutesLeft])).toEqual([
      ['X1', 'outgoing', 'SBY01', true, -60],
      ['X5', 'incoming', 'SBY01', false, 0],
      ['X2', 'outgoing', 'SBY01', false, 1440],
    ]);
  });
});

describe('sync health', () => {
  const link = (o: Partial<NonNullable<SyncLike['link']>> = {}) => ({ enrolled: true, connected: true, lastContactAt: wib(TODAY, '14:58'), lastError: null, ...o });
  const base: SyncLike = { running: true, pendingCount: 0, oldestPendingSince: null, link: link(), lastError: null, conflicts: [] };

  it('ok, behind, offline, failing, not enrolled', () => {
    expect(syncHealth(base, NOW)).toMatchObject({ verdict: 'ok', pendingCount: 0, oldestPendingMinutes: null, lastContactAt: wib(TODAY, '14:58') });
    // The oldest record has waited 20 min (≥ 15): behind.
    expect(syncHealth({ ...base, pendingCount: 3, oldestPendingSince: NOW.getTime() - 20 * 60_000 }, NOW)).toMatchObject({ verdict: 'behind', pendingCount: 3, oldestPendingMinutes: 20 });
    expect(syncHealth({ ...base, pendingCount: 1, oldestPendingSince: NOW.getTime() - 5 * 60_000 }, NOW).verdict).toBe('ok');
    expect(syncHealth({ ...base, link: link({ connected: false }) }, NOW).verdict).toBe('offline');
    // An error newer than the last contact: failing, with the newest error.
    const failing = syncHealth({ ...base, link: link({ lastError: { code: 'TIMEOUT', message: 'HQ tidak menjawab', at: wib(TODAY, '14:59') } }), lastError: { at: Date.parse(wib(TODAY, '14:30')), collection: 'cases', message: 'old' } }, NOW);
    expect(failing).toMatchObject({ verdict: 'failing', lastError: { message: 'TIMEOUT: HQ tidak menjawab' } });
    // An older error after which HQ answered again is not failing.
    expect(syncHealth({ ...base, lastError: { at: Date.parse(wib(TODAY, '14:30')), collection: null, message: 'x' } }, NOW).verdict).toBe('ok');
    expect(syncHealth({ ...base, link: null }, NOW).verdict).toBe('notEnrolled');
    // Conflicts: the persistent log's count wins over this session's list.
    expect(syncHealth({ ...base, conflicts: [{}] }, NOW).conflicts).toBe(1);
    expect(syncHealth({ ...base, conflicts: [{}] }, NOW, 3).conflicts).toBe(3);
  });
});

describe('CSV for Excel', () => {
  it('quotes quotes, commas, separators, line breaks and edge spaces; doubles inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Kata "resmi"')).toBe('"Kata ""resmi"""');
    expect(csvField('Jakarta, Selatan')).toBe('"Jakarta, Selatan"');
    expect(csvField('a;b')).toBe('"a;b"');
    expect(csvField('baris 1\nbaris 2')).toBe('"baris 1\nbaris 2"');
    expect(csvField('baris 1\r\nbaris 2')).toBe('"baris 1\r\nbaris 2"');
    expect(csvField(' spasi')).toBe('" spasi"');
  });

  it('numbers use a decimal comma and stay unquoted; empty for null', () => {
    expect(csvField(12.5)).toBe('12,5');
    expect(csvField(40)).toBe('40');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('text Excel would run as a formula is neutralised', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+62812')).toBe("'+62812");
    expect(csvField(-3)).toBe('-3');
  });

  it('a file: BOM, `;` separator, CRLF rows', () => {
    const text = toCsv(['Jam', 'Keterangan'], [[8, 'a;b'], [9, 'x "y"']]);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1)).toBe('Jam;Keterangan\r\n8;"a;b"\r\n9;"x ""y"""\r\n');
  });

  it('file names carry the branch and the WIB time', () => {
    expect(csvFileName('tunggu per jam', 'UJI01', new Date('2026-03-02T01:05:00Z'))).toBe('loket-tunggu-per-jam-UJI01-20260302-0805.csv');
  });
});

describe('no-shows per officer (issue 16: the head sees who marks people absent)', () => {
  const mark = (staffId: string, time: string, day = TODAY) => ({
    status: 'no-show',
    at: wib(day, time),
    event: { type: 'ticket.noShowMarked', at: wib(day, time), actor: { staffId, role: 'officer', deviceId: 'd1' }, rule: 'spacedCalls' },
  });
  const back = (staffId: string, time: string) => ({
    status: 'waiting',
    at: wib(TODAY, time),
    event: { type: 'ticket.returned', at: wib(TODAY, time), actor: { staffId, role: 'officer', deviceId: 'd1' } },
  });
  const t = (id: string, ...history: TicketLike['history'][number][]): TicketLike => ({ id, status: history.at(-1)!.status, issuedAt: wib(TODAY, '08:00'), history: [{ status: 'waiting', at: wib(TODAY, '08:00') }, ...history] });
  const called = (time: string) => ({ status: 'called', at: wib(TODAY, time) });
  const NS: TicketLike[] = [
    t('N1', called('09:00'), called('09:03'), mark('officer01', '09:06')),
    t('N2', called('09:10'), called('09:13'), mark('officer01', '09:16'), back('officer02', '10:00'), called('10:01')), // returned later
    t('N3', called('09:20'), called('09:23'), mark('officer02', '09:26')),
    // An old history without events: the officer is not known.
    t('N4', called('09:30'), { status: 'no-show', at: wib(TODAY, '09:40') }),
    { id: 'N5', status: 'no-show', issuedAt: wib('2026-02-20', '08:00'), history: [{ status: 'waiting', at: wib('2026-02-20', '08:00') }, mark('officer02', '09:00', '2026-02-20')] }, // outside the range
  ];

  it('counts each no-show by the officer who marked it, with those who came back the same day', () => {
    expect(noShowsByOfficer(NS, rangeOf('week', NOW))).toEqual([
      { staffId: 'officer01', noShows: 2, returned: 1 },
      { staffId: 'officer02', noShows: 1, returned: 0 },
      { staffId: '', noShows: 1, returned: 0 },
    ]);
    expect(noShowsByOfficer(TICKETS, rangeOf('today', NOW))).toEqual([{ staffId: '', noShows: 1, returned: 0 }]);
  });
});
