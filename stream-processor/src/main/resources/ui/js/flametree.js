// Call trees for flame graphs, built from the API's top rows (each a stack, leaf first, with its
// value). Frames merge by function name along the path from the root, as pprof's flame graph does.

/** The stack id the API gives to the sum of stacks cut by its size caps. */
const CUT_STACKS = '0000000000000000';

function node(name, parent) {
  return { name, file: '', line: 0, weight: 0, base: 0, target: 0, unsure: 0, children: new Map(), parent };
}

function child(parent, name) {
  let c = parent.children.get(name);
  if (!c) {
    c = node(name, parent);
    parent.children.set(name, c);
  }
  return c;
}

/** A row's path from the outermost frame to the leaf, with a marker for frames the API left out. */
function path(row) {
  if (row.stackId === CUT_STACKS || !row.frames || row.frames.length === 0) {
    return [{ function: '(stacks cut by size caps)', file: '', line: 0 }];
  }
  const frames = [...row.frames].reverse();
  if (row.depth > row.frames.length) {
    frames.unshift({ function: '(' + (row.depth - row.frames.length) + ' outer frames not shown)', file: '', line: 0 });
  }
  return frames;
}

/** Adds one stack's amounts along its path; unsure: its weight when one side's value of it is unknown. */
function add(root, frames, weight, base, target, unsure = 0) {
  let n = root;
  for (const f of [null, ...frames]) {
    if (f) {
      n = child(n, f.function);
      if (!n.file) { n.file = f.file; n.line = f.line; }
    }
    n.weight += weight;
    n.base += base;
    n.target += target;
    n.unsure += unsure;
  }
}

/**
 * The tree of a top answer, weighted by each stack's value per capture. Whatever the rows do not
 * cover of the answer's total (stacks beyond the limit) hangs under the root as "(other stacks)".
 */
export function topTree(top) {
  const root = node('all', null);
  for (const r of top.top) add(root, path(r), r.perCapture, 0, r.perCapture);
  addRest(root, null, top);
  return root;
}

/** What an answer's rows leave of its total per capture (stacks beyond the limit); 0 when it is rounding. */
function rest(answer) {
  if (!answer) return 0;
  const left = answer.totalPerCapture - answer.top.reduce((sum, r) => sum + r.perCapture, 0);
  return left > answer.totalPerCapture * 1e-6 ? left : 0;
}

/** Hangs "(other stacks)" under the root with what the rows of base and target leave out, if anything. */
function addRest(root, base, target) {
  const b = rest(base);
  const t = rest(target);
  if (b > 0 || t > 0) add(root, [{ function: '(other stacks)', file: '', line: 0 }], Math.max(b, t), b, t);
}

/**
 * The least row value of an answer whose rows leave out some of its stacks (the API counts them in
 * `stacks`), else null: a stack missing from such an answer's rows may still be there, at most this.
 */
function cutAt(answer) {
  const rows = answer.top;
  return answer.stacks > rows.length && rows.length > 0 ? Math.min(...rows.map((r) => r.perCapture)) : null;
}

/**
 * The diff tree of two top answers (base and target), stacks matched by id. A node's weight is the
 * sum over its stacks of max(base, target), so what shrank stays visible next to what grew; base
 * and target hold the plain sums (per capture). What either side's rows leave of its total is one
 * "(other stacks)" frame, compared like a stack, so the root's base and target are the totals.
 *
 * `given` holds per side (`base`, `target`) the answer of `top?stacks=` for the other side's rows
 * that this side's rows lack: its rows join the side's with their exact values, and an asked stack
 * absent from it had no value there. Without it (undefined or null: not asked, or the service's owner
 * runs a release before `stacks`), a stack among the other side's rows but not this side's, when this
 * side's rows leave stacks out, has an unknown value here (at most this side's least row, and counted
 * in its "(other stacks)"): its weight counts in `unsure` along its path, and the root's `cutAt`
 * holds each such side's least row (null for a side with nothing unknown).
 */
export function diffTree(base, target, given = {}) {
  const root = node('all', null);
  const sides = { base, target };
  const rows = {};
  root.cutAt = {};
  for (const side of ['base', 'target']) {
    root.cutAt[side] = given[side] ? null : cutAt(sides[side]);
    rows[side] = given[side] ? [...sides[side].top, ...given[side].top] : sides[side].top;
  }
  const stacks = new Map();
  for (const side of ['base', 'target']) {
    for (const r of rows[side]) {
      const s = stacks.get(r.stackId) || { row: r, base: 0, target: 0, rows: new Set() };
      s[side] += r.perCapture;
      s.rows.add(side);
      stacks.set(r.stackId, s);
    }
  }
  for (const s of stacks.values()) {
    const weight = Math.max(s.base, s.target);
    const unknown = ['base', 'target'].some((side) => !s.rows.has(side) && root.cutAt[side] !== null);
    add(root, path(s.row), weight, s.base, s.target, unknown ? weight : 0);
  }
  addRest(root, { ...base, top: rows.base }, { ...target, top: rows.target });
  return root;
}

/**
 * The ids of `other`'s rows that `answer`'s rows lack, when `answer`'s rows leave stacks out (else
 * none: a stack missing from a complete answer has no value there).
 */
export function lacking(answer, other) {
  if (answer.stacks <= answer.top.length) return [];
  const have = new Set(answer.top.map((r) => r.stackId));
  return other.top.map((r) => r.stackId).filter((id) => !have.has(id));
}

/** Children by weight, heaviest first (ties by name, so layouts are stable). */
export function sortedChildren(n) {
  return [...n.children.values()].sort((a, b) => b.weight - a.weight || a.name.localeCompare(b.name));
}

/**
 * The weight of n's subtree that lies in frames whose function contains needle (lower case), each
 * counted once: a match under a matching caller adds nothing more. The root itself never matches.
 */
export function matchedWeight(n, needle) {
  if (n.parent !== null && n.name.toLowerCase().includes(needle)) return n.weight;
  let sum = 0;
  for (const c of n.children.values()) sum += matchedWeight(c, needle);
  return sum;
}

/** The names from below the root down to n. */
export function pathOf(n) {
  const out = [];
  for (let x = n; x && x.parent; x = x.parent) out.unshift(x.name);
  return out;
}

/** The node at a path of names, or the deepest one found along it. */
export function find(root, names) {
  let n = root;
  for (const name of names) {
    const c = n.children.get(name);
    if (!c) break;
    n = c;
  }
  return n;
}
