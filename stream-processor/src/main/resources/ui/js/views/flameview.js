// Flame graph of a service over a range and metric, with search and zoom, and the top table beside.
import { el, replace } from '../dom.js';
import * as api from '../api.js';
import * as fmt from '../format.js';
import { href, replaceParams, current } from '../hashstate.js';
import { topTree } from '../flametree.js';
import { flameGraph, searchBox, warm } from '../flame.js';
import { toolbar } from '../range.js';

/** Stacks and frames per stack asked of the API: enough for a readable graph, bounded in size. */
export const STACKS = 300;
export const FRAMES = 128;
const TABLE_ROWS = 40;

/** Keeps a flame graph's search and zoom in the address and redraws it when they change. */
export function interactive(holder, info, tree, params, style) {
  const state = { search: params.q || '', zoom: params.zoom ? params.zoom.split(';') : [] };
  const redraw = () => flameGraph(holder, tree, { ...style, search: state.search, zoom: state.zoom, info,
    onZoom: (path) => { state.zoom = path; replaceParams({ zoom: path.join(';') }); redraw(); } });
  const box = searchBox(state.search, (q) => { state.search = q; replaceParams({ q }); redraw(); });
  return { box, redraw };
}

/**
 * What a flame view shows in place of its graph when its range (both ranges, for a diff) holds no
 * captures of the metric: an empty graph and table alone read as a page that failed to draw.
 */
export function noData(what, metric) {
  return el('p', { class: 'error', id: 'no-data' }, `${what} no captures of ${metric}: choose another range, or `
    + 'clear the bounds for the hour before the latest capture.');
}

function topTable(top) {
  return el('table', { id: 'top-table' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Leaf function'), el('th', { class: 'num' }, 'Per capture'),
      el('th', { class: 'num' }, 'Share'))),
    el('tbody', {}, top.top.slice(0, TABLE_ROWS).map((r) => el('tr', { dataset: { stackId: r.stackId } },
      el('td', { class: 'fn', title: fmt.frame(r.leaf) }, r.leaf ? r.leaf.function : '(stacks cut by size caps)'),
      el('td', { class: 'num' }, fmt.value(r.perCapture, top.unit)),
      el('td', { class: 'num' }, fmt.percent(r.share))))));
}

export async function render(view, route) {
  const [service] = route.args;
  const p = Object.fromEntries(route.params.entries());
  const metric = p.metric || 'inuse_space';
  const top = await api.get(api.svcPath(service) + '/top',
    { metric, from: p.from, to: p.to, limit: STACKS, frames: FRAMES });
  const tree = topTree(top);
  const { form, shown } = toolbar(['metric', 'range'], { ...p, metric },
    (v) => { location.hash = href('flame', [service], { ...v, q: current().params.get('q') }); });
  shown.textContent = `${fmt.time(top.range.from)} → ${fmt.time(top.range.to)} · ${top.captures} captures · `
    + `${top.instanceCount} instances · total ${fmt.value(top.totalPerCapture, top.unit)} per capture`;
  const holder = el('div', { class: 'flame', id: 'flame' });
  const info = el('div', { class: 'flame-info' });
  const label = (n) => `${n.name}${n.file ? ' — ' + n.file + ':' + n.line : ''}\n`
    + `${fmt.value(n.weight, top.unit)} per capture (${fmt.percent(top.totalPerCapture ? n.weight / top.totalPerCapture : 0)})`;
  const { box, redraw } = interactive(holder, info, tree, p, { colour: warm, label });
  form.insertBefore(box, form.lastElementChild.previousElementSibling);
  const empty = top.captures === 0 ? noData('The range holds', metric) : null;
  replace(view,
    el('h1', {}, 'Flame graph: ', service, ' ', el('span', { class: 'muted' }, metric)),
    form,
    el('div', { class: 'grid2' },
      el('section', {}, empty || [info, holder],
        el('p', { class: 'links' },
          el('a', { href: href('diff', [service], { metric, from: top.range.fromMs, to: top.range.toMs }) },
            'Compare with the range before'),
          el('a', { download: '', href: api.url(api.svcPath(service) + '/profile',
            { type: api.profileTypeOf(metric), from: top.range.fromMs, to: top.range.toMs }) }, 'Download pprof'))),
      el('section', {}, el('h2', {}, 'Top stacks'), topTable(top))));
  if (!empty) redraw();
  return [{ label: service }, { label: 'flame graph' }];
}
