import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import styles from './TimeChart.module.css';

export interface ChartSeries {
  label: string;
  color: string;
  values: ReadonlyArray<number | null>;
  fill?: string;
}

const AXIS = { stroke: '#5a6372', grid: { stroke: '#eef0f3', width: 1 }, ticks: { stroke: '#e3e6eb', width: 1 }, font: '11px system-ui, sans-serif' };
const HEIGHT = 170;
/** Hour ticks in the viewer's locale (uPlot's own are US-style). */
const HOUR = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/**
 * A small time-series chart (uPlot, canvas). The canvas is decoration for screen readers: the
 * figure's caption says in words what it shows, and its own legend names each line.
 */
export function TimeChart({
  title,
  summary,
  x,
  series,
  formatY,
  yRange,
  yMinTop = 1,
}: {
  title: string;
  summary: string;
  /** Unix seconds. */
  x: readonly number[];
  series: readonly ChartSeries[];
  formatY: (value: number) => string;
  yRange?: [number, number];
  /** The least the y axis shows (an empty chart still has a sensible scale). */
  yMinTop?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const captionId = useId();
  // Redrawn when the numbers or the lines change, not on every render (the arrays are new each time).
  const data = JSON.stringify([x, series.map((s) => s.values)]);
  const lines = JSON.stringify(series.map(({ label, color, fill }) => ({ label, color, fill })));

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const [xs, ys] = JSON.parse(data) as [number[], Array<Array<number | null>>];
    const styled = JSON.parse(lines) as Array<Omit<ChartSeries, 'values'>>;
    const options: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height: HEIGHT,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      scales: { x: { time: true }, y: yRange ? { range: yRange } : { range: (_u, _min, max) => [0, Math.max((max ?? 0) * 1.15, yMinTop)] } },
      axes: [
        { ...AXIS, values: (_u, values) => values.map((v) => HOUR.format(new Date(v * 1000))) },
        { ...AXIS, size: 56, values: (_u, values) => values.map((v) => formatY(v)) },
      ],
      series: [
        {},
        ...styled.map((s) => ({ label: s.label, stroke: s.color, fill: s.fill, width: 2, spanGaps: false, points: { show: true, size: 4, fill: s.color } })),
      ],
    };
    const plot = new uPlot(options, [xs, ...ys] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height: HEIGHT }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [data, lines, formatY, yRange, yMinTop]);

  return (
    <figure className={styles.figure} aria-labelledby={captionId}>
      <figcaption id={captionId} className={styles.caption}>
        <span className={styles.title}>{title}</span>
        <span className={styles.summary}>{summary}</span>
      </figcaption>
      <div ref={ref} className={styles.plot} aria-hidden="true" />
      <ul className={styles.legend} aria-hidden="true">
        {series.map((s) => (
          <li key={s.label}>
            <span className={styles.swatch} style={{ background: s.color }} />
            {s.label}
          </li>
        ))}
      </ul>
    </figure>
  );
}
