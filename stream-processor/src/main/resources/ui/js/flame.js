// A flame graph in SVG (icicle layout: the root on top, callees below), with search and zoom.
import { svg, el, replace } from './dom.js';
import { sortedChildren, pathOf, find, matchedWeight } from './flametree.js';
import { cut } from './format.js';

const ROW = 18;
const CHAR_PX = 6.8;
const MIN_PX = 0.5;

function hash(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Warm colours, stable per function name. */
export function warm(n) {
  const h = hash(n.name);
  return `hsl(${10 + (h % 40)}, ${70 + (h >> 8) % 20}%, ${58 + (h >> 16) % 14}%)`;
}

/** Share of a node's weight that grew (+) or shrank (-), in [-1, 1]. */
export function change(n) {
  return n.weight > 0 ? (n.target - n.base) / n.weight : 0;
}

/**
 * Whether most of a diff node's weight is in stacks whose value on one side is unknown (outside
 * that side's rows): its change is then not known, and it is drawn neither as growth nor shrinkage.
 */
function unsure(n) {
  return n.unsure > n.weight / 2;
}

/** Growth red, shrinkage blue, unchanged grey, stronger with a larger change; unknown change sand. */
export function diffColour(n) {
  if (unsure(n)) return 'hsl(45, 30%, 80%)';
  const c = change(n);
  if (c > 0.02) return `hsl(0, ${45 + 45 * c}%, ${88 - 38 * c}%)`;
  if (c < -0.02) return `hsl(215, ${45 - 45 * c}%, ${88 + 38 * c}%)`;
  return 'hsl(220, 8%, 85%)';
}

/** The class of a node in a diff: grow, shrink or same (over 2% of its weight either way), or unsure. */
export function diffClass(n) {
  if (unsure(n)) return 'unsure';
  const c = change(n);
  return c > 0.02 ? 'grow' : c < -0.02 ? 'shrink' : 'same';
}

/**
 * Draws root into container. opts: colour(node), klass(node) (extra class), label(node) (tooltip
 * text), search (substring, case-insensitive), zoom (path of names), onZoom(path), info (element for
 * the hovered frame and the search result).
 */
export function flameGraph(container, root, opts) {
  const width = Math.max(300, container.clientWidth || 900);
  const focus = find(root, opts.zoom || []);
  const needle = (opts.search || '').toLowerCase();
  const groups = [];
  let maxDepth = 0;

  const draw = (n, depth, x, w, ancestor) => {
    if (w < MIN_PX) return;
    maxDepth = Math.max(maxDepth, depth);
    const isMatch = needle !== '' && n.parent !== null && n.name.toLowerCase().includes(needle);
    const classes = ['frame', opts.klass ? opts.klass(n) : '', isMatch ? 'match' : '', ancestor ? 'dim' : ''];
    const chars = Math.floor((w - 6) / CHAR_PX);
    const text = chars < 3 ? '' : n.name.length <= chars ? n.name : n.name.slice(0, chars - 1) + '…';
    const g = svg('g', { class: classes.filter(Boolean).join(' '), transform: `translate(${x.toFixed(2)},${depth * ROW})`,
      dataset: { name: n.name } },
      svg('title', {}, opts.label(n)),
      svg('rect', { width: Math.max(w - 0.5, 0.5).toFixed(2), height: ROW - 1, fill: opts.colour(n), rx: 1.5 }),
      text ? svg('text', { x: 3, y: ROW - 5 }, text) : null);
    g.addEventListener('click', () => opts.onZoom(pathOf(n)));
    g.addEventListener('mouseenter', () => {
      if (opts.info) opts.info.textContent = opts.label({ ...n, name: cut(n.name), file: cut(n.file) });
    });
    groups.push(g);
  };

  // Ancestors of the focus span the full width; the focus's subtree is scaled to it.
  const chain = [];
  for (let a = focus; a; a = a.parent) chain.unshift(a);
  chain.slice(0, -1).forEach((a, d) => draw(a, d, 0, width, true));
  const scale = focus.weight > 0 ? width / focus.weight : 0;
  const walk = (n, depth, x) => {
    draw(n, depth, x, n.weight * scale, false);
    let cx = x;
    for (const c of sortedChildren(n)) {
      walk(c, depth + 1, cx);
      cx += c.weight * scale;
    }
  };
  walk(focus, chain.length - 1, 0);
  // From the tree, not from what was drawn: frames under half a pixel are not drawn, but hundreds
  // of them can hold a visible share.
  const matched = needle === '' ? 0 : matchedWeight(focus, needle);

  const height = (maxDepth + 1) * ROW;
  const drawing = svg('svg', { viewBox: `0 0 ${width} ${height}`, height, role: 'img',
    'aria-label': 'flame graph' }, groups);
  replace(container, drawing);
  if (opts.info) {
    opts.info.textContent = needle === '' ? 'Click a frame to zoom, the top frame to zoom out.'
      : `"${cut(opts.search)}" matches ${(focus.weight > 0 ? (100 * matched) / focus.weight : 0).toFixed(1)}% of the view`;
  }
  return { matched };
}

/** The search box of a flame graph. */
export function searchBox(value, onChange) {
  const input = el('input', { type: 'search', name: 'q', value: value || '', placeholder: 'function name',
    autocomplete: 'off' });
  input.addEventListener('input', () => onChange(input.value));
  return el('label', {}, 'Search', input);
}
