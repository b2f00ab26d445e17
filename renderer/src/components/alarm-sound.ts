/**
 * The wall's alarm sound: a two-tone beep made here as a WAV (no file to ship; the CSP allows data: media), looped
 * by one audio element while the engine says the alarm sounds. Browsers block sound until someone clicks the page
 * (kiosk browsers can be started with --autoplay-policy=no-user-gesture-required); the hook says when it is blocked.
 */
import { useEffect, useRef, useState } from 'react';
import type { AlarmState } from '../state/alerts-slice';

const SAMPLE_RATE = 8000;
/** One loop: 0.9 s of beeping, then quiet, so the repeat reads as an alarm rather than a tone. */
const LOOP_S = 2;
const BEEP_S = 0.9;
const TONE_S = 0.15;
const TONES_HZ = [880, 660];

export type AlarmSoundStatus = 'off' | 'playing' | 'blocked';

export function alarmWav(): Uint8Array {
  const samples = SAMPLE_RATE * LOOP_S;
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => [...text].forEach((ch, i) => view.setUint8(at + i, ch.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, SAMPLE_RATE, true);
  view.setUint32(28, SAMPLE_RATE * 2, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) {
    const t = i / SAMPLE_RATE;
    let value = 0;
    if (t < BEEP_S) {
      const hz = TONES_HZ[Math.floor(t / TONE_S) % TONES_HZ.length]!;
      const inTone = t % TONE_S;
      // 5 ms ramps at each tone's edges: no clicks.
      const ramp = Math.min(1, inTone / 0.005, (TONE_S - inTone) / 0.005);
      value = Math.sin(2 * Math.PI * hz * t) * 0.8 * ramp;
    }
    view.setInt16(44 + i * 2, Math.round(value * 32767), true);
  }
  return bytes;
}

let dataUri: string | null = null;
export function alarmDataUri(): string {
  if (dataUri) return dataUri;
  const bytes = alarmWav();
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  dataUri = `data:audio/wav;base64,${btoa(binary)}`;
  return dataUri;
}

/** Plays the alarm while `alarm.sounding`; one audio element for the page's whole life. */
export function useAlarmSound(alarm: AlarmState | null): AlarmSoundStatus {
  const audio = useRef<HTMLAudioElement | null>(null);
  const [status, setStatus] = useState<AlarmSoundStatus>('off');
  const sounding = alarm?.sounding ?? false;
  const volume = (alarm?.volumePct ?? 70) / 100;

  useEffect(() => {
    audio.current ??= Object.assign(new Audio(alarmDataUri()), { loop: true });
    const el = audio.current;
    el.volume = volume;
    if (!sounding) {
      el.pause();
      el.currentTime = 0;
      setStatus('off');
      return;
    }
    let cancelled = false;
    const start = () =>
      el.play().then(
        () => !cancelled && setStatus('playing'),
        (err: Error) => {
          if (cancelled) return;
          // NotAllowedError: the browser wants a click first. Anything else is a real fault, shown the same way.
          if (err.name !== 'NotAllowedError') console.error('tally: the alarm sound failed', err);
          setStatus('blocked');
        },
      );
    void start();
    // The first click anywhere (the "enable sound" prompt) unblocks it.
    const retry = () => void start();
    window.addEventListener('pointerdown', retry);
    window.addEventListener('keydown', retry);
    return () => {
      cancelled = true;
      window.removeEventListener('pointerdown', retry);
      window.removeEventListener('keydown', retry);
    };
  }, [sounding, volume]);

  useEffect(() => () => audio.current?.pause(), []);
  return status;
}
