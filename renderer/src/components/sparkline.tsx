/** A small SVG line for table rows: cheap enough for a thousand rows (recharts draws the detail charts). */
export function Sparkline({ values, width = 96, height = 22, max = 100, label }: { values: number[]; width?: number; height?: number; max?: number; label: string }) {
  if (values.length < 2) return <svg width={width} height={height} role="img" aria-label={`${label}: no data yet`} />;
  const step = width / (values.length - 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (Math.min(max, Math.max(0, v)) / max) * (height - 2) - 1).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={height} className="sparkline" role="img" aria-label={`${label} trend`}>
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
