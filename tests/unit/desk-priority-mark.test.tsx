import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../../renderer/src/i18n';
import type { TicketDoc } from '../../renderer/src/data/db/schemas';
import { NextInLine, PriorityMark } from '../../renderer/src/screens/desk/Workbench';

// Issue 16 pt 8: on the officer's workbench a priority ticket (UU 25/2009 Art. 29) shows as such,
// with a star and the word (never colour only), and the next number is the one the call order gives.

const NOW = '2026-03-02T03:00:00.000Z'; // 10:00 WIB
const ticket = (number: string, issuedAt: string, extra: Partial<TicketDoc> = {}): TicketDoc => ({
  id: `UJI01:2026-03-02:${number}`,
  branchCode: 'UJI01',
  service: 'jmo-reset',
  status: 'waiting',
  number,
  day: '2026-03-02',
  slot: 1,
  seq: Number(number.slice(-3)),
  nikHash: `h-${number}`,
  issuedAt,
  updatedAt: issuedAt,
  history: [{ status: 'waiting', at: issuedAt }],
  ...extra,
});
const text = (html: string) => html.replace(/<[^>]+>/g, '');

afterEach(async () => {
  await i18n.changeLanguage('id');
});

describe("the workbench's priority mark (issue 16 pt 8)", () => {
  it('the next number is the priority ticket, marked with a star and the word and its category, though it came later', async () => {
    await i18n.changeLanguage('id');
    const html = renderToStaticMarkup(<NextInLine waiting={[ticket('C1-001', '2026-03-02T02:00:00.000Z'), ticket('C1-002', '2026-03-02T02:30:00.000Z', { priority: 'elderly' })]} now={NOW} />);
    expect(text(html)).toContain('C1-002');
    expect(text(html)).not.toContain('C1-001');
    expect(text(html)).toContain('★ Prioritas: Lanjut usia');
    expect(text(html)).toContain('1 prioritas menunggu');
  });

  it('no mark and no priority count when nobody waiting is a priority ticket; a dash when nobody waits', async () => {
    await i18n.changeLanguage('id');
    const html = renderToStaticMarkup(<NextInLine waiting={[ticket('C1-001', '2026-03-02T02:00:00.000Z'), ticket('C1-002', '2026-03-02T02:30:00.000Z')]} now={NOW} />);
    expect(text(html)).toBe('C1-001');
    expect(renderToStaticMarkup(<NextInLine waiting={[]} now={NOW} />)).toBe('–');
  });

  it('the mark carries the word in English too, and the star is hidden from screen readers (the word is read)', async () => {
    await i18n.changeLanguage('en');
    const html = renderToStaticMarkup(<PriorityMark category="pregnant" />);
    expect(html).toContain('<span aria-hidden="true">★ </span>');
    expect(text(html)).toBe('★ Priority: Pregnant');
    expect(text(renderToStaticMarkup(<PriorityMark />))).toBe('★ Priority');
  });
});
