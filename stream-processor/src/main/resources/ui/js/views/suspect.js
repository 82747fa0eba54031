// One suspect: its growth per instance with the trend, the site and full stack, rate, confidence,
// projected exhaustion, first seen, the labels that set its instances apart; links to the diff of its service and to the pprof download.
import { el, replace } from '../dom.js';
import * as api from '../api.js';
import * as fmt from '../format.js';
import { href } from '../hashstate.js';
import { growthChart, evidenceLines } from '../charts.js';
import { toolbar } from '../range.js';

/**
 * The label pairs that set the suspect's instances apart from the rest of its service (docs/API.md,
 * "Labels of a suspect's instances"), the rarest first, each with how many of the counted live
 * instances hold it. Text only: a label value is never markup.
 */
function apart(labels) {
  if (!labels) return el('span', { class: 'muted' }, 'unknown (the labels could not be read)');
  const counted = labels.truncated ? el('div', { class: 'muted', id: 'labels-counted' },
    `counted: the first ${labels.countedInstances} of ${labels.liveInstances} live instances by name`) : null;
  const pairs = labels.distinguishing.length === 0
    ? el('span', { class: 'muted' }, 'nothing: the other live instances hold their labels too')
    : el('ul', { class: 'apart' }, labels.distinguishing.map((d) => el('li', {}, `${d.name}=${d.value}`,
      el('span', { class: 'muted' }, ` on ${d.serviceInstances} of ${d.serviceLiveInstances} live instances`))));
  return el('div', {}, pairs, counted);
}

function facts(s, labels) {
  const rows = [
    ['State', el('span', { class: 'badge ' + s.state }, s.state)],
    ['Service', s.service], ['Kind', s.kind.replace(/_/g, ' ')],
    ['Growth rate', fmt.rate(s.growthRate, s.growthUnit)],
    ['Current value', fmt.value(s.currentValue, s.valueUnit)],
    ['Confidence', fmt.percent(s.confidence)],
    ['Statistic', s.statistic ? s.statistic + ' = ' + (s.statisticValue ?? 0).toFixed(2) : '–'],
    ['Projected exhaustion', s.projectedExhaustion ? fmt.time(s.projectedExhaustion) : 'not projected'],
    ['Memory limit', s.memoryLimitBytes ? fmt.bytes(s.memoryLimitBytes) : 'unknown'],
    ['First growth seen', fmt.time(s.firstGrowthSeen)], ['Opened', fmt.time(s.openedAt)],
    ['Latest detection', fmt.time(s.detectedAt)], ['Instances', (s.instances || []).join(', ')],
    ['Sets them apart', el('span', { id: 'distinguishing-labels' }, apart(labels))],
  ];
  if (s.waitReason) rows.push(['Wait reason', s.waitReason]);
  if ((s.relatedSuspects || []).length) rows.push(['Related suspects', relatedLinks(s)]);
  return el('dl', { class: 'facts' }, rows.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

/**
 * Links to the open suspects of the other kind that are probably the same bug (docs/DETECTION.md
 * "Related suspects"): for goroutines, the heap they seem to hold; for heap, the goroutines holding it.
 */
function relatedLinks(s) {
  const other = s.kind === 'GOROUTINE' ? 'heap it seems to hold: ' : 'held by leaking goroutines: ';
  return el('span', { id: 'related-suspects' }, other, s.relatedSuspects.map((id, i) => [i ? ', ' : '',
    el('a', { href: href('suspect', [s.service, id]) }, id.slice(0, 12))]));
}

function stack(frames) {
  return el('ol', { class: 'stack', id: 'stack' }, (frames || []).map((f) =>
    el('li', {}, f.function, el('span', { class: 'file' }, '  ', f.file, ':', f.line))));
}

/**
 * The instances whose trend the chart draws, with their rates per hour: each instance of the series
 * with a growth figure (docs/API.md "Growth per instance": detection's own slope on that instance at
 * its latest capture). The evidence of a resolved suspect carries no such figure; its latest event's
 * rate is the sum over the instances it lists (docs/DETECTION.md §5), one instance's own only when it
 * lists one.
 */
function trendRates(s, series, tracked) {
  if (!tracked) {
    const listed = s.instances || [];
    return new Map(listed.length === 1 ? [[listed[0], s.growthRate]] : []);
  }
  return new Map(series.instances.filter((i) => i.growth).map((i) => [i.instance, i.growth.ratePerHour]));
}

function trendNote(rates, tracked) {
  let note = 'No trend lines: no instance has a rate (too few captures since its process started, or no upward trend).';
  if (rates.size > 0) {
    note = tracked ? 'Dashed: the trend of each instance with a rate, at its own rate (table below), as detection '
      + 'judged it at the instance\'s latest capture.'
      : `Dashed: the trend of ${[...rates.keys()][0]}, the instance the site grew on, at the detected rate.`;
  }
  return el('p', { class: 'muted', id: 'trend-note' }, note);
}

/** Why an instance of the series has no rate, or what detection made of the rate it has. */
function judged(i) {
  if (!i.tracked) return 'not tracked on this instance';
  if (!i.growth) return 'no rate: too few captures since its process started, or no upward trend';
  return i.growth.verdict === 'GROWING' ? 'growing' : 'not reported: ' + i.growth.verdict.toLowerCase().replace(/_/g, ' ');
}

/** An instance's labels as `name=value` pairs in the API's (name) order; '–' when none are known. */
function labelText(i) {
  const pairs = Object.entries(i.labels || {}).map(([k, v]) => `${k}=${v}`);
  if (i.labelsTruncated) pairs.push('(more not kept)');
  return pairs.length ? pairs.join(', ') : '–';
}

/** Each instance's labels, rate, the captures it is judged on, and detection's verdict. */
function rateTable(series, unit) {
  return el('table', { id: 'instance-rates' },
    el('thead', {}, el('tr', {}, ['Instance', 'Labels', 'Rate', 'Judged on', 'Detection'].map((h) => el('th', h === 'Rate' ? { class: 'num' } : {}, h)))),
    el('tbody', {}, series.instances.map((i) => el('tr', { 'data-instance': i.instance },
      el('td', { class: 'instance' }, i.instance),
      el('td', { class: 'labels' }, labelText(i)),
      el('td', { class: 'num' }, i.growth ? fmt.rate(i.growth.ratePerHour, unit) : '–'),
      el('td', {}, i.growth ? `${i.growth.points} captures, ${fmt.time(i.growth.from)} – ${fmt.time(i.growth.to)}` : '–'),
      el('td', {}, judged(i))))));
}

/** Base: the first third of the charted span; target: the last third (where the growth shows). */
function diffRanges(series) {
  const times = series.instances.flatMap((i) => i.points.map((p) => p.timeMs));
  if (times.length < 2) return {};
  const lo = Math.min(...times);
  const hi = Math.max(...times) + 1;
  const third = Math.max(1, Math.floor((hi - lo) / 3));
  const iso = (ms) => new Date(ms).toISOString();
  return { baseFrom: iso(lo), baseTo: iso(lo + third), from: iso(hi - third), to: iso(hi) };
}

/**
 * The site's series over the range; null when the API answers 404, which it does for a resolved
 * suspect (its site is no longer tracked), so the page can still show the suspect and its events.
 */
async function trackedSeries(path, p) {
  try {
    return await api.get(path + '/series', { from: p.from, to: p.to });
  } catch (e) {
    if (e.status === 404) return null;
    throw e;
  }
}

export async function render(view, route) {
  const [service, id] = route.args;
  const p = Object.fromEntries(route.params.entries());
  const path = api.svcPath(service) + '/suspects/' + encodeURIComponent(id);
  // the series: the API's default page, the first 100 live instances by name
  const [detail, tracked] = await Promise.all([api.get(path), trackedSeries(path, p)]);
  const s = detail.suspect;
  // untracked: the evidence of the latest event, the points detection judged
  const series = tracked || { instances: evidenceLines(s.evidence), truncated: false };
  const metric = api.metricOf(s.seriesKind);
  const ranges = diffRanges(series);
  const { form } = toolbar(['range'], p, (v) => { location.hash = href('suspect', [service, id], v); });
  const chart = el('div', { id: 'growth-chart' });
  const rates = trendRates(s, series, tracked);
  replace(view,
    el('h1', {}, 'Suspect: ', el('span', { id: 'site', title: fmt.frame(s.site) }, fmt.frame(s.site, true))),
    el('p', { class: 'links' },
      el('a', { id: 'diff-link', href: href('diff', [service], { metric, ...ranges, q: s.site.function }) }, 'Diff flame graph'),
      el('a', { id: 'flame-link', href: href('flame', [service], { metric, from: ranges.baseFrom, to: ranges.to, q: s.site.function }) }, 'Flame graph'),
      el('a', { id: 'pprof-link', download: '', href: api.url(api.svcPath(service) + '/profile',
        { type: api.profileTypeOf(metric), from: ranges.baseFrom, to: ranges.to }) }, 'Download pprof (merged)'),
      el('a', { id: 'pprof-diff-link', download: '', href: api.url(api.svcPath(service) + '/profile/diff',
        { type: api.profileTypeOf(metric), baseFrom: ranges.baseFrom, baseTo: ranges.baseTo, from: ranges.from, to: ranges.to }) },
        'Download pprof (diff)')),
    form,
    el('div', { class: 'grid2' },
      el('section', { class: 'card' }, el('h2', {}, 'Growth per instance'), trendNote(rates, tracked),
        tracked ? null : el('p', { class: 'muted', id: 'evidence-note' }, `The site is no longer tracked (the suspect is `
          + `${s.state}): the chart shows the evidence of its latest event, not the range.`),
        series.truncated ? el('p', { class: 'muted', id: 'series-page' },
          `${series.count} of ${series.instanceCount} instances (the first by name)`) : null, chart,
        tracked ? rateTable(series, s.growthUnit) : null),
      el('section', { class: 'card' }, el('h2', {}, 'Facts'), facts(s, detail.labels))),
    el('section', { class: 'card' }, el('h2', {}, 'Site and full stack (leaf first)'), stack(s.stack)),
    el('h2', {}, 'Events'),
    el('table', {}, el('thead', {}, el('tr', {}, ['Time', 'Status', 'Rate', 'Value', 'Confidence'].map((h) => el('th', {}, h)))),
      el('tbody', {}, detail.events.map((e) => el('tr', {}, el('td', {}, fmt.time(e.detectedAt)), el('td', {}, e.status),
        el('td', {}, fmt.rate(e.growthRate, e.growthUnit)), el('td', {}, fmt.value(e.currentValue, e.valueUnit)),
        el('td', {}, fmt.percent(e.confidence)))))));
  if (!growthChart(chart, series, rates, s.valueUnit)) {
    chart.append(el('p', { class: 'muted' }, 'No values of this site in the range.'));
  }
  return [{ label: service, href: href('flame', [service], { metric }) }, { label: 'suspect ' + id }];
}
