// Line charts with uPlot (loaded as the global uPlot from its webjar): small sparklines of a
// suspect's evidence and the growth chart of a site per instance with the detector's trend lines.
import { value as fmtValue, time as fmtTime } from './format.js';

const PALETTE = ['#2457c5', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#5d4037', '#ad1457'];

/**
 * Aligns per-instance point lists [{instance, points: [{timeMs, value}]}] on one time axis (seconds,
 * as uPlot wants): [xs, ys per instance] with nulls where an instance has no capture.
 */
function align(lines) {
  const xs = [...new Set(lines.flatMap((l) => l.points.map((p) => p.timeMs)))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = lines.map((l) => {
    const y = new Array(xs.length).fill(null);
    for (const p of l.points) y[index.get(p.timeMs)] = p.value;
    return y;
  });
  return [xs, ys];
}

// Every other time on the page is the API's UTC, written with "UTC"; uPlot would draw the browser's
// local time without saying so, which puts the chart hours away from the facts and events beside it.
const utcDate = (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
const utcSeries = () => ({ label: 'Time (UTC)', value: (u, v) => (v === null ? '–' : fmtTime(new Date(v * 1000).toISOString())) });

// One capture time alone (a first capture, or the first since a restart) would make uPlot span
// years around it; the half hour either side keeps the axis in hours and the point in the middle.
const timeRange = (xs) => (xs[0] === xs[xs.length - 1] ? [xs[0] - 1800, xs[0] + 1800] : [xs[0], xs[xs.length - 1]]);

function axisValues(unit) {
  return (u, splits) => splits.map((v) => (v === null ? '' : fmtValue(v, unit)));
}

/** A suspect's evidence ([{instance, time, value}]) as per-instance point lists: [{instance, points: [{timeMs, value}]}]. */
export function evidenceLines(evidence) {
  const byInstance = new Map();
  for (const e of evidence || []) {
    if (!byInstance.has(e.instance)) byInstance.set(e.instance, []);
    byInstance.get(e.instance).push({ timeMs: Date.parse(e.time), value: e.value });
  }
  return [...byInstance.entries()].map(([instance, points]) => ({ instance, points }));
}

/** A small chart of a suspect's evidence, one line per instance; nothing when it has under two points. */
export function sparkline(container, evidence, unit) {
  const lines = evidenceLines(evidence);
  if (lines.every((l) => l.points.length < 2)) return null;
  const [xs, ys] = align(lines);
  const width = Math.max(200, container.clientWidth || 300);
  return new uPlot({
    width, height: 70, legend: { show: false }, cursor: { show: false },
    axes: [{ show: false }, { show: false }],
    series: [{}, ...lines.map((l, i) => ({ label: l.instance, stroke: PALETTE[i % PALETTE.length], width: 1.5,
      spanGaps: true, points: { show: false } }))],
  }, [xs.map((x) => x / 1000), ...ys], container);
}

/**
 * A trend line for one instance: slope from the detector's rate (per hour), placed like a Theil-Sen
 * line, through the median of (value - slope * t) over the instance's points.
 */
function trend(points, ratePerHour) {
  if (points.length < 2 || ratePerHour === null || ratePerHour === undefined) return null;
  const slope = ratePerHour / 3_600_000;
  const offsets = points.map((p) => p.value - slope * p.timeMs).sort((a, b) => a - b);
  const mid = offsets.length >> 1;
  const intercept = offsets.length % 2 ? offsets[mid] : (offsets[mid - 1] + offsets[mid]) / 2;
  const from = points[0].timeMs;
  const to = points[points.length - 1].timeMs;
  return (t) => (t < from || t > to ? null : intercept + slope * t);
}

/**
 * The growth chart of a site: one line per instance ({instances: [{instance, points}]} from the
 * series API) and, dashed, the trend of each instance in trendRates (instance → rate per hour).
 */
export function growthChart(container, series, trendRates, unit) {
  const lines = series.instances.filter((s) => s.points.length > 0);
  if (lines.length === 0) return null;
  const [xs, ys] = align(lines);
  const trends = lines.map((l) => (trendRates.has(l.instance) ? trend(l.points, trendRates.get(l.instance)) : null));
  const uSeries = [utcSeries()];
  const data = [xs.map((x) => x / 1000)];
  lines.forEach((l, i) => {
    const color = PALETTE[i % PALETTE.length];
    uSeries.push({ label: l.instance, stroke: color, width: 2, spanGaps: true,
      value: (u, v) => (v === null ? '–' : fmtValue(v, unit)) });
    data.push(ys[i]);
    if (trends[i]) {
      uSeries.push({ label: l.instance + ' trend', stroke: color, width: 1, dash: [6, 4], spanGaps: true,
        points: { show: false }, value: (u, v) => (v === null ? '–' : fmtValue(v, unit)) });
      data.push(xs.map(trends[i]));
    }
  });
  const width = Math.max(320, container.clientWidth || 640);
  return new uPlot({
    width, height: 300, series: uSeries, tzDate: utcDate,
    axes: [{}, { values: axisValues(unit), size: 80 }],
    scales: { x: { time: true, auto: false, range: timeRange(data[0]) } },
  }, data, container);
}
