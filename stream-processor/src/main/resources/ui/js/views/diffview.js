// Diff flame graph of a service between a base and a target range: growth red, shrinkage blue,
// widths the larger of the two sides; the API's table of the stacks that grew most beside it.
import { el, replace } from '../dom.js';
import * as api from '../api.js';
import * as fmt from '../format.js';
import { href, current } from '../hashstate.js';
import { diffTree, lacking } from '../flametree.js';
import { diffColour, diffClass } from '../flame.js';
import { toolbar } from '../range.js';
import { interactive, noData, STACKS, FRAMES } from './flameview.js';

function diffTable(diff) {
  return el('table', { id: 'diff-table' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Leaf function'), el('th', { class: 'num' }, 'Base'),
      el('th', { class: 'num' }, 'Target'), el('th', { class: 'num' }, 'Change'))),
    el('tbody', {}, diff.grewMost.map((r) => el('tr', { class: r.delta > 0 ? 'grow' : r.delta < 0 ? 'shrink' : '',
      dataset: { stackId: r.stackId } },
      el('td', { class: 'fn', title: fmt.frame(r.leaf) }, r.leaf ? r.leaf.function : '(stacks cut by size caps)'),
      el('td', { class: 'num' }, fmt.value(r.base, diff.unit)),
      el('td', { class: 'num' }, fmt.value(r.target, diff.unit)),
      el('td', { class: 'num delta' }, (r.delta > 0 ? '+' : '') + fmt.value(r.delta, diff.unit))))));
}

/**
 * For a frame partly made of stacks outside one side's rows whose value there could not be asked
 * for: how much, and what is known of it (at most that side's least row; counted in its "(other stacks)").
 */
function unsureNote(n, tree, unit) {
  if (!n.unsure) return '';
  const bounds = ['base', 'target'].filter((side) => tree.cutAt[side] !== null)
    .map((side) => `${side} at most ${fmt.value(tree.cutAt[side], unit)} each`).join(', ');
  return `\n${fmt.percent(n.unsure / n.weight)} of it in stacks outside one side's ${STACKS} heaviest: their value `
    + `there is not known (${bounds}; counted in "(other stacks)")`;
}

/**
 * The given stacks of one side (`top?stacks=`, the range as `side` resolved it), or null when the
 * service's owner runs a release before `stacks` and refuses it by name (API.md, "Given stacks"):
 * their values there are then not known. Any other failure is the view's error.
 */
async function given(path, metric, side, ids) {
  if (ids.length === 0) return undefined;
  try {
    return await api.get(path + '/top', { metric, from: side.range.fromMs, to: side.range.toMs, frames: FRAMES,
      stacks: ids.join(',') });
  } catch (e) {
    if (e instanceof api.ApiError && e.status === 400 && e.body && e.body.parameter === 'stacks') return null;
    throw e;
  }
}

export async function render(view, route) {
  const [service] = route.args;
  const p = Object.fromEntries(route.params.entries());
  const metric = p.metric || 'inuse_space';
  const path = api.svcPath(service);
  // The diff resolves default ranges (the target's hour, the base just before it); the two tops
  // then use exactly those ranges.
  const diff = await api.get(path + '/diff', { metric, baseFrom: p.baseFrom, baseTo: p.baseTo, from: p.from, to: p.to, limit: 30 });
  const [base, target] = await Promise.all([diff.base, diff.target].map((side) => api.get(path + '/top',
    { metric, from: side.range.fromMs, to: side.range.toMs, limit: STACKS, frames: FRAMES })));
  // Each side whose rows leave stacks out is asked for the other side's rows it lacks, so that every
  // frame of those stacks is drawn with its values on both sides.
  const [baseGiven, targetGiven] = await Promise.all([
    given(path, metric, diff.base, lacking(base, target)), given(path, metric, diff.target, lacking(target, base))]);
  const tree = diffTree(base, target, { base: baseGiven, target: targetGiven });
  const unknown = tree.unsure > 0;
  const { form, shown } = toolbar(['metric', 'base', 'range'], { ...p, metric },
    (v) => { location.hash = href('diff', [service], { ...v, q: current().params.get('q') }); });
  shown.textContent = `base ${fmt.time(diff.base.range.from)} → ${fmt.time(diff.base.range.to)} (${diff.base.captures} captures)`
    + ` · target ${fmt.time(diff.target.range.from)} → ${fmt.time(diff.target.range.to)} (${diff.target.captures} captures)`;
  const holder = el('div', { class: 'flame', id: 'flame' });
  const info = el('div', { class: 'flame-info' });
  const label = (n) => `${n.name}${n.file ? ' — ' + n.file + ':' + n.line : ''}\n`
    + `base ${fmt.value(n.base, diff.unit)} → target ${fmt.value(n.target, diff.unit)} per capture `
    + `(${n.target >= n.base ? '+' : ''}${fmt.value(n.target - n.base, diff.unit)})` + unsureNote(n, tree, diff.unit);
  const { box, redraw } = interactive(holder, info, tree, p,
    { colour: diffColour, klass: diffClass, label });
  form.insertBefore(box, form.lastElementChild.previousElementSibling);
  const empty = diff.base.captures === 0 && diff.target.captures === 0 ? noData('Both ranges hold', metric) : null;
  replace(view,
    el('h1', {}, 'Diff flame graph: ', service, ' ', el('span', { class: 'muted' }, metric)),
    form,
    diff.base.captures === 0 && !empty ? el('p', { class: 'error', id: 'empty-base' }, 'The base range holds no captures, so '
      + 'everything shows as growth: give a base range (a suspect page links to a diff of its own span).') : null,
    el('p', { class: 'legend' }, el('span', {}, el('i', { style: 'background:hsl(0,90%,50%)' }), 'grew'),
      el('span', {}, el('i', { style: 'background:hsl(215,90%,50%)' }), 'shrank'),
      el('span', {}, el('i', { style: 'background:hsl(220,8%,85%)' }), 'unchanged'),
      unknown ? el('span', {}, el('i', { style: 'background:hsl(45,30%,80%)' }),
        'not known (outside one side\'s heaviest stacks)') : null,
      el('span', { class: 'muted' }, 'Widths: the larger of base and target, per capture.')),
    baseGiven === null || targetGiven === null ? el('p', { class: 'muted', id: 'unknown-note' }, 'The service\'s owner '
      + 'runs an older release, which cannot be asked for given stacks: a stack among one side\'s '
      + `${STACKS} heaviest but not the other's has no known value there (sand).`) : null,
    el('div', { class: 'grid2' },
      el('section', {}, empty || [info, holder],
        el('p', { class: 'links' },
          el('a', { href: href('flame', [service], { metric, from: diff.target.range.fromMs, to: diff.target.range.toMs }) },
            'Flame graph of the target range'),
          el('a', { download: '', href: api.url(path + '/profile/diff', { type: api.profileTypeOf(metric),
            baseFrom: diff.base.range.fromMs, baseTo: diff.base.range.toMs,
            from: diff.target.range.fromMs, to: diff.target.range.toMs }) }, 'Download pprof diff'))),
      el('section', {}, el('h2', {}, 'Grew most'), diffTable(diff))));
  if (!empty) redraw();
  return [{ label: service, href: href('flame', [service], { metric }) }, { label: 'diff' }];
}
