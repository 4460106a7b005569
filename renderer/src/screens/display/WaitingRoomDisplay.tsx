import i18next from 'i18next';
import { useEffect, useMemo, useRef, useState } from 'react';
import { DisplaySnapshot, type DisplayCall } from '@shared/ipc/contract';
import { loket } from '../../bridge';
import { useNow } from '../../app/useNow';
import type { BranchZone } from '@shared/dates';
import { announce, spokenNumber, unlockAudio } from './announcer';
import { displayClock } from './snapshot';

const SOUND_KEY = 'loket.display.sound';
const callKey = (c: DisplayCall) => `${c.number}|${c.counter}|${c.at}`;

function storedSound(): boolean {
  try {
    const v = window.localStorage.getItem(SOUND_KEY);
    // The desktop display window may play sound without a click; a browser tab needs one first.
    return v === null ? window.loket !== undefined : v === 'on';
  } catch {
    return false;
  }
}

/**
 * The waiting-room display (second monitor, `#/display`, no sign-in): the called numbers and their
 * counters, who is next, today's average wait and the branch's service pledge. Each new call is
 * spoken in Indonesian (or chimed). Numbers, counters and services only: no personal data.
 */
export function WaitingRoomDisplay() {
  // The display speaks to citizens: Indonesian, whatever this PC's staff language is.
  const t = useMemo(() => i18next.getFixedT('id'), []);
  const en = useMemo(() => i18next.getFixedT('en'), []);
  const now = useNow(1000);
  const [snapshot, setSnapshot] = useState<DisplaySnapshot | null>(null);
  const [branch, setBranch] = useState<string | null>(null);
  // The branch's zone (its profile): the display's clock is the branch's, whatever this PC's zone.
  const [zone, setZone] = useState<BranchZone | null>(null);
  const [sound, setSound] = useState(storedSound);
  const [caption, setCaption] = useState('');
  const seen = useRef<Set<string> | null>(null);
  const queue = useRef<DisplayCall[]>([]);
  const speaking = useRef(false);
  const soundRef = useRef(sound);
  soundRef.current = sound;

  useEffect(() => {
    document.documentElement.lang = 'id';
    document.title = `${t('display.title')} — Loket`;
    const api = loket();
    const accept = (value: unknown) => {
      // The event crosses a process boundary: check it like any other input.
      const parsed = DisplaySnapshot.safeParse(value);
      if (parsed.success) setSnapshot(parsed.data);
    };
    const off = api.on('display.changed', accept);
    void api.display.get().then((r) => {
      if (!r.ok) return;
      // What is on screen when the display opens is not announced again; everything after is.
      seen.current ??= new Set(r.value?.called.map(callKey) ?? []);
      if (r.value) accept(r.value);
    });
    void api.app.info().then((r) => {
      if (!r.ok) return;
      setBranch(r.value.branch?.name ?? null);
      setZone(r.value.branch?.zone ?? null);
    });
    return off;
  }, [t]);

  // New calls are announced once each, oldest first; calls already on screen when the display
  // opens are not replayed.
  useEffect(() => {
    if (!snapshot) return;
    if (seen.current === null) {
      seen.current = new Set(snapshot.called.map(callKey));
      return;
    }
    const fresh = snapshot.called.filter((c) => !seen.current!.has(callKey(c))).sort((a, b) => a.at.localeCompare(b.at));
    for (const c of fresh) seen.current.add(callKey(c));
    if (fresh.length === 0) return;
    setCaption(t('display.announce', { number: fresh[fresh.length - 1]!.number, counter: fresh[fresh.length - 1]!.counter }));
    if (!soundRef.current) return;
    queue.current.push(...fresh);
    if (speaking.current) return;
    speaking.current = true;
    void (async () => {
      for (let c = queue.current.shift(); c; c = queue.current.shift()) {
        await announce(t('display.announce', { number: spokenNumber(c.number), counter: c.counter })).catch(() => undefined);
      }
      speaking.current = false;
    })();
  }, [snapshot, t]);

  const toggleSound = () => {
    const next = !sound;
    if (next) unlockAudio();
    setSound(next);
    try {
      window.localStorage.setItem(SOUND_KEY, next ? 'on' : 'off');
    } catch {
      // No storage: the choice lasts until the page reloads.
    }
  };

  const [latest, ...earlier] = snapshot?.called ?? [];
  const { time, date } = displayClock(now, zone);

  return (
    <div className="wr" data-screen="WaitingRoomDisplay">
      <header className="wr__top">
        <div>
          <p className="wr__agency">BPJS Ketenagakerjaan</p>
          <h1 className="wr__branch">{branch ?? t('display.title')}</h1>
        </div>
        <div className="wr__clock">
          <time className="wr__time" dateTime={now.toISOString()}>
            {time}
          </time>
          <span className="wr__date">{date}</span>
        </div>
        <button type="button" className="wr__sound" aria-pressed={sound} title={t('display.soundHint')} onClick={toggleSound}>
          {sound ? t('display.soundOn') : t('display.soundOff')}
        </button>
      </header>

      <main className="wr__main">
        <section className="wr__now" aria-labelledby="wr-called">
          <h2 id="wr-called" className="wr__label">
            {t('display.called')} <span lang="en">{en('display.called')}</span>
          </h2>
          {latest ? (
            <div className="wr__current" data-testid="display-current">
              <span className="wr__number">{latest.number}</span>
              {latest.priority ? <PriorityMark label={t('display.priority')} /> : null}
              <span className="wr__arrow" aria-hidden="true">
                →
              </span>
              <span className="wr__counter">{t('display.counterN', { counter: latest.counter })}</span>
              <span className="wr__service">{t(`print.services.${latest.service}`)}</span>
            </div>
          ) : (
            <p className="wr__empty">{snapshot ? t('display.nextNone') : t('display.waiting')}</p>
          )}
          {earlier.length > 0 ? (
            <table className="wr__history">
              <thead>
                <tr>
                  <th scope="col">{t('display.number')}</th>
                  <th scope="col">{t('display.counter')}</th>
                </tr>
              </thead>
              <tbody>
                {earlier.slice(0, 4).map((c) => (
                  <tr key={callKey(c)}>
                    <td>
                      {c.number}
                      {c.priority ? <PriorityMark label={t('display.priority')} /> : null}
                    </td>
                    <td>{c.counter}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>

        <aside className="wr__side">
          <section aria-labelledby="wr-next">
            <h2 id="wr-next" className="wr__label">
              {t('display.nextUp')} <span lang="en">{en('display.nextUp')}</span>
            </h2>
            {snapshot && snapshot.nextUp.length > 0 ? (
              <ul className="wr__next">
                {snapshot.nextUp.map((n) => (
                  <li key={n.service}>
                    <span className="wr__next-service">{t(`print.services.${n.service}`)}</span>
                    <span className="wr__next-numbers">
                      {n.numbers.map((number) => (
                        <span key={number} data-priority={n.priority?.includes(number) ? 'true' : undefined}>
                          {number}
                          {n.priority?.includes(number) ? <PriorityMark label={t('display.priority')} /> : null}
                        </span>
                      ))}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="wr__muted">{t('display.nextNone')}</p>
            )}
            {snapshot?.nextUp.some((n) => n.priority?.length) || snapshot?.called.some((c) => c.priority) ? (
              <p className="wr__muted wr__priority-note" data-testid="display-priority-note">
                {t('display.priorityNote')}
              </p>
            ) : null}
          </section>
          <section className="wr__wait" aria-labelledby="wr-wait">
            <h2 id="wr-wait" className="wr__label">
              {t('display.averageWait')}
            </h2>
            <p className="wr__wait-value" data-testid="display-wait">
              {snapshot?.averageWaitMinutes != null ? t('display.averageWaitValue', { count: snapshot.averageWaitMinutes }) : t('display.averageWaitNone')}
            </p>
          </section>
        </aside>
      </main>

      <footer className="wr__pledge">
        <h2 className="wr__label">{t('display.pledgeTitle')}</h2>
        <p>{snapshot?.pledge ?? t('display.defaultPledge')}</p>
        <p className="wr__free">{t('display.free')}</p>
      </footer>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="display-caption">
        {caption}
      </p>
    </div>
  );
}

/** A priority number: a star and the word, no category and nothing about the person. */
function PriorityMark({ label }: { label: string }) {
  return (
    <span className="wr__priority" data-testid="display-priority">
      <span aria-hidden="true">★ </span>
      {label}
    </span>
  );
}
