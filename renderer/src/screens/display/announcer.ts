/**
 * Spoken calls for the waiting room: an Indonesian voice (speechSynthesis, id-ID) where the system
 * has one, otherwise a two-tone chime made with WebAudio (no audio file to ship).
 */

/** "A2-017" → "A 2, 0 1 7": digit by digit, so any voice reads the number the same way. */
export function spokenNumber(number: string): string {
  const [head = '', tail = ''] = number.split('-');
  return `${head.split('').join(' ')}, ${tail.split('').join(' ')}`;
}

export function pickIndonesianVoice(voices: readonly SpeechSynthesisVoice[]): SpeechSynthesisVoice | null {
  const norm = (lang: string) => lang.replace('_', '-').toLowerCase();
  return voices.find((v) => norm(v.lang) === 'id-id') ?? voices.find((v) => norm(v.lang).startsWith('id')) ?? null;
}

/** Voices load asynchronously in Chromium: wait briefly for them the first time. */
function voices(): Promise<SpeechSynthesisVoice[]> {
  const synth = window.speechSynthesis;
  const now = synth.getVoices();
  if (now.length > 0) return Promise.resolve(now);
  return new Promise((resolve) => {
    const done = () => {
      synth.removeEventListener('voiceschanged', done);
      resolve(synth.getVoices());
    };
    synth.addEventListener('voiceschanged', done);
    window.setTimeout(done, 1000);
  });
}

let audio: AudioContext | null = null;

/** Two soft tones (ding-dong), about 0.9 s. */
export async function chime(): Promise<void> {
  audio ??= new AudioContext();
  if (audio.state === 'suspended') await audio.resume().catch(() => undefined);
  const start = audio.currentTime + 0.02;
  for (const [i, freq] of [880, 660].entries()) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    const t0 = start + i * 0.4;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.4, t0 + 0.03);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.45);
    osc.connect(gain).connect(audio.destination);
    osc.start(t0);
    osc.stop(t0 + 0.5);
  }
  await new Promise((r) => window.setTimeout(r, 950));
}

/** Unlocks audio inside the user's click (browsers allow sound only after a gesture). */
export function unlockAudio(): void {
  audio ??= new AudioContext();
  void audio.resume().catch(() => undefined);
}

/** Says `text` in Indonesian, or chimes when no Indonesian voice exists. Resolves when done. */
export async function announce(text: string): Promise<'speech' | 'chime'> {
  const voice = 'speechSynthesis' in window ? pickIndonesianVoice(await voices()) : null;
  if (!voice) {
    await chime();
    return 'chime';
  }
  await new Promise<void>((resolve) => {
    const u = new SpeechSynthesisUtterance(text);
    u.voice = voice;
    u.lang = 'id-ID';
    u.rate = 0.9;
    // A stuck engine must not hold the queue of announcements forever.
    const guard = window.setTimeout(resolve, 12_000);
    u.onend = u.onerror = () => {
      window.clearTimeout(guard);
      resolve();
    };
    window.speechSynthesis.speak(u);
  });
  return 'speech';
}
