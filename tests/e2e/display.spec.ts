import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { docScreenshot, expectNoSeriousA11yIssues } from './a11y';
import { expect, test } from './fixtures';
import { completeFirstRun } from './flows';

// Generated head (no real person). The display shows numbers, counters and services only.
const head = { id: 'kepala.layar', name: 'Kepala Uji Layar', pin: '802417' };

interface Utterance {
  text: string;
  lang: string;
  voice: string | null;
}

/**
 * Stubs the browser's speech engine (headless Chromium has no voices) so the test can see what the
 * display says: with an Indonesian voice, or with none (then the display must chime). The chime is
 * observed by counting WebAudio oscillators. Our code is not changed.
 */
function stubSpeech(hasId: boolean): void {
  {
    const w = window as unknown as { __spoken: Utterance[]; __oscillators: number };
    w.__spoken = [];
    w.__oscillators = 0;
    const voices = [
      { name: 'English', lang: 'en-US', default: true, localService: true, voiceURI: 'en' },
      ...(hasId ? [{ name: 'Bahasa Indonesia', lang: 'id-ID', default: false, localService: true, voiceURI: 'id' }] : []),
    ];
    const synth = {
      getVoices: () => voices,
      speak: (u: { text: string; lang: string; voice: { lang: string } | null; onend: ((e: Event) => void) | null }) => {
        w.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice?.lang ?? null });
        setTimeout(() => u.onend?.(new Event('end')), 10);
      },
      cancel: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    };
    Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
    // A real utterance accepts only a real SpeechSynthesisVoice; the stub voices need a stub utterance.
    class FakeUtterance {
      voice: { lang: string } | null = null;
      lang = '';
      rate = 1;
      onend: ((e: Event) => void) | null = null;
      onerror: ((e: Event) => void) | null = null;
      constructor(readonly text: string) {}
    }
    Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: FakeUtterance, configurable: true });
    // createOscillator lives on BaseAudioContext.prototype (shared by AudioContext).
    const create = Object.getOwnPropertyDescriptor(BaseAudioContext.prototype, 'createOscillator')?.value as (this: BaseAudioContext) => OscillatorNode;
    BaseAudioContext.prototype.createOscillator = function (this: BaseAudioContext) {
      w.__oscillators += 1;
      return create.call(this);
    };
  }
}

async function openDisplay(browser: Browser, url: string, withIndonesianVoice: boolean): Promise<Page> {
  // Its own browser context: no cookie of the signed-in page, like the second monitor's window.
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  const page = await context.newPage();
  await page.addInitScript(stubSpeech, withIndonesianVoice);
  await page.goto(`${url}/#/display`);
  return page;
}

/** The real HTTP transport, with the signed-in page's cookie: what the app's publisher sends. */
async function call(request: APIRequestContext, url: string, channel: string, payload: unknown) {
  const res = await request.post(`${url}/api/call`, { data: { channel, request: payload }, headers: { origin: url } });
  return (await res.json()) as { ok: boolean; error?: { code: string } };
}

// Call times are fixed per call, as the tickets' history gives them: a republished call is the same call.
const base = Date.now();
const at = (minutesAgo: number) => new Date(base - minutesAgo * 60_000).toISOString();

function snapshot(calls: Array<[string, string, string, number]>) {
  return {
    called: calls.map(([number, counter, service, minutesAgo]) => ({ number, counter, service, at: at(minutesAgo) })),
    nextUp: [
      { service: 'jht-claim', numbers: ['A1-018', 'A1-019', 'A1-020'] },
      { service: 'jmo-reset', numbers: ['C1-004'] },
    ],
    averageWaitMinutes: 23,
    pledge: 'Kami siap melayani sesuai standar pelayanan, tanpa biaya dan tanpa diskriminasi.',
    publishedAt: new Date().toISOString(),
  };
}

test('waiting-room display: calls arrive live, are spoken in Indonesian (or chimed), and show no personal data', async ({ page, loket, browser }) => {
  await page.goto(loket.url);
  // Before any PC has signed in, nobody has published a queue: the display says it is waiting for one.
  const before = await openDisplay(browser, loket.url, true);
  await expect(before.getByText('Menunggu data antrean dari loket…')).toBeVisible();
  await before.screenshot({ path: docScreenshot('display-waiting') });
  await completeFirstRun(page, head);
  // The signed-in PC publishes its (empty) queue at once: the waiting notice gives way to it.
  await expect(before.getByText('Menunggu data antrean dari loket…')).toHaveCount(0);
  await expect(before.getByRole('region', { name: /Dipanggil/ })).toContainText('Tidak ada antrean');
  await before.context().close();

  const display = await openDisplay(browser, loket.url, true);
  const errors: string[] = [];
  display.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await expect(display.getByRole('heading', { level: 1 })).toHaveText('Cabang Uji Dua');

  // A page without a session cannot write to the display.
  expect(await call(display.request, loket.url, 'display.publish', snapshot([['A1-001', '1', 'jht-claim', 1]]))).toMatchObject({
    ok: false,
    error: { code: 'NOT_SIGNED_IN' },
  });

  // Sound needs a click in a browser: the toggle says so and turns it on.
  const sound = display.getByRole('button', { name: 'Suara mati' });
  await expect(sound).toHaveAttribute('aria-pressed', 'false');
  await sound.click();
  await expect(display.getByRole('button', { name: 'Suara aktif' })).toHaveAttribute('aria-pressed', 'true');

  // The signed-in PC publishes (same server, real HTTP transport); the display updates over SSE.
  expect(await call(page.request, loket.url, 'display.publish', snapshot([['A1-016', '2', 'jht-claim', 3]]))).toMatchObject({ ok: true });
  const current = display.getByTestId('display-current');
  await expect(current).toContainText('A1-016');
  await expect(current).toContainText('Loket 2');
  await expect(display.getByTestId('display-wait')).toHaveText('± 23 menit');
  await expect(display.getByRole('listitem').filter({ hasText: 'Klaim JHT' })).toHaveText(/A1-018\s*A1-019\s*A1-020/);
  await expect(display.getByText('Kami siap melayani sesuai standar pelayanan')).toBeVisible();
  await expect.poll(() => display.evaluate(() => (window as unknown as { __spoken: Utterance[] }).__spoken)).toEqual([
    { text: 'Nomor antrean A 1, 0 1 6, silakan ke loket 2', lang: 'id-ID', voice: 'id-ID' },
  ]);

  // A new call goes to the top and is announced; the previous one moves to the list.
  await call(page.request, loket.url, 'display.publish', snapshot([['A1-017', '3', 'jht-claim', 0], ['A1-016', '2', 'jht-claim', 3]]));
  await expect(current).toContainText('A1-017');
  await expect(current).toContainText('Loket 3');
  await expect(display.getByRole('table')).toContainText('A1-016');
  await expect(display.getByTestId('display-caption')).toHaveText('Nomor antrean A1-017, silakan ke loket 3');
  await expect.poll(() => display.evaluate(() => (window as unknown as { __spoken: Utterance[] }).__spoken.map((u) => u.text))).toEqual([
    'Nomor antrean A 1, 0 1 6, silakan ke loket 2',
    'Nomor antrean A 1, 0 1 7, silakan ke loket 3',
  ]);
  // The same snapshot again (a heartbeat) is not announced twice.
  await call(page.request, loket.url, 'display.publish', snapshot([['A1-017', '3', 'jht-claim', 0], ['A1-016', '2', 'jht-claim', 3]]));
  await display.waitForTimeout(300);
  expect(await display.evaluate(() => (window as unknown as { __spoken: Utterance[] }).__spoken.length)).toBe(3 - 1);

  // Issue 16: a priority number shows a star and the word, in the calls and first in the next list;
  // the snapshot has no room for a category or anything about the person (the contract refuses one).
  const plain = snapshot([['A1-017', '3', 'jht-claim', 0], ['A1-016', '2', 'jht-claim', 3]]);
  const prio = {
    ...plain,
    called: plain.called.map((c, i) => (i === 0 ? { ...c, priority: true } : c)),
    nextUp: [{ service: 'jht-claim', numbers: ['A1-021', 'A1-018', 'A1-019'], priority: ['A1-021'] }, plain.nextUp[1]],
  };
  expect(await call(page.request, loket.url, 'display.publish', prio)).toMatchObject({ ok: true });
  await expect(current.getByTestId('display-priority')).toHaveText('★ Prioritas');
  await expect(display.getByRole('listitem').filter({ hasText: 'Klaim JHT' })).toHaveText(/A1-021\s*★ Prioritas\s*A1-018\s*A1-019/);
  await expect(display.getByTestId('display-priority-note')).toContainText('UU 25/2009 Pasal 29');
  const withCategory = { ...prio, called: prio.called.map((c, i) => (i === 0 ? { ...c, priority: 'pregnant' } : c)) };
  expect(await call(page.request, loket.url, 'display.publish', withCategory)).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
  // A republished call (now marked priority) is not announced again.
  await display.waitForTimeout(300);
  expect(await display.evaluate(() => (window as unknown as { __spoken: Utterance[] }).__spoken.length)).toBe(2);

  // Nothing personal: no 16-digit NIK, no KPJ, no staff name on the display.
  const text = await display.locator('body').innerText();
  expect(text).not.toMatch(/\d{11,16}/);
  expect(text).not.toContain(head.name);
  await display.screenshot({ path: docScreenshot('display-calls') });
  await expectNoSeriousA11yIssues(display, 'waiting-room display');

  // A display opened later shows the current state at once and does not replay old calls.
  const late = await openDisplay(browser, loket.url, false);
  await expect(late.getByTestId('display-current')).toContainText('A1-017');
  await late.getByRole('button', { name: 'Suara mati' }).click();
  expect(await late.evaluate(() => (window as unknown as { __oscillators: number }).__oscillators)).toBe(0);
  // Without an Indonesian voice the display chimes (two tones) instead of speaking English.
  await call(page.request, loket.url, 'display.publish', snapshot([['C1-003', '1', 'jmo-reset', -1], ['A1-017', '3', 'jht-claim', 0]]));
  await expect(late.getByTestId('display-current')).toContainText('C1-003');
  await expect.poll(() => late.evaluate(() => (window as unknown as { __oscillators: number }).__oscillators)).toBe(2);
  // One chime for the one new call: A1-017 was on screen already and is not chimed again.
  await late.waitForTimeout(1500);
  expect(await late.evaluate(() => (window as unknown as { __oscillators: number }).__oscillators)).toBe(2);
  expect(await late.evaluate(() => (window as unknown as { __spoken: Utterance[] }).__spoken)).toEqual([]);

  expect(errors).toEqual([]);
  await late.context().close();
  await display.context().close();
});
