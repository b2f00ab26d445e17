import { useEffect, useState } from 'react';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function formatTime(d: Date, utc: boolean): string {
  return utc ? `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` : `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

export function Clock({ big = false }: { big?: boolean }) {
  const now = new Date(useNow());
  return (
    <div className={big ? 'clock clock-big' : 'clock'} aria-label="clock">
      <span className="clock-local">{formatTime(now, false)}</span>
      <span className="clock-utc">{formatTime(now, true)} UTC</span>
    </div>
  );
}
