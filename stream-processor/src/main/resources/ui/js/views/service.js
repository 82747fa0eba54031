// One service: its instances, a page at a time by name (the API's `after` and `limit`, kept in the
// address), with their profile types and latest captures, and links to the service's flame graphs.
import { el, replace } from '../dom.js';
import * as api from '../api.js';
import * as fmt from '../format.js';
import { href } from '../hashstate.js';

/** The line above the table: which instances of how many this page shows, and links to the others. */
function pageNote(s, page) {
  const names = s.instances.map((i) => i.instance);
  const shown = names.length === 0 ? 'No instances' : `Instances ${names[0]} to ${names[names.length - 1]} by name`;
  return el('p', { class: 'muted', id: 'instances-page' }, shown, ` (${s.count} of ${s.instanceCount})`,
    page.after ? [' · ', el('a', { href: href('service', [s.service], { limit: page.limit }) }, 'first page')] : '',
    s.truncated ? [' · ', el('a', { href: href('service', [s.service], { after: s.next, limit: page.limit }),
      id: 'next-instances' }, 'next page')] : '');
}

/**
 * Which detection.services rule judges the service (docs/DETECTION.md §6), when one does: its index and
 * patterns, whether it judges at all, and the settings it changes. Nothing for services the defaults judge.
 */
function detectionNote(d) {
  if (!d || d.rule === null || d.rule === undefined) {
    return '';
  }
  const changes = Object.entries(d.changes || {}).map(([k, v]) => `${k} ${v}`).join(', ');
  return el('p', { class: 'muted', id: 'detection-rule' },
    `Detection: rule detection.services[${d.rule}] (${d.match.join(', ')}) · `,
    d.judged ? 'judged' : 'not judged: no suspect opens',
    changes ? ` · ${changes}` : '');
}

export async function render(view, route) {
  const service = route.args[0];
  const page = { after: route.params.get('after') || null, limit: route.params.get('limit') || null };
  const s = await api.get('/api/v1/services/' + encodeURIComponent(service), page);
  const metric = s.profileTypes.includes('heap') ? 'inuse_space' : 'goroutines';
  replace(view,
    el('h1', {}, s.service),
    el('p', { class: 'muted', id: 'instance-count' }, `${s.instanceCount} instances · `, s.profileTypes.join(', '),
      ' · latest capture ', fmt.time(s.lastCapture)),
    detectionNote(s.detection),
    el('p', { class: 'links' },
      el('a', { href: href('flame', [s.service], { metric }) }, 'flame graph'),
      el('a', { href: href('diff', [s.service], { metric }) }, 'diff')),
    pageNote(s, page),
    el('table', { class: 'instances' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Instance'), el('th', {}, 'Profile types'), el('th', {}, 'Latest capture'))),
      el('tbody', {}, s.instances.map((i) => el('tr', { dataset: { instance: i.instance } },
        el('td', {}, i.instance), el('td', {}, i.profileTypes.join(', ')), el('td', {}, fmt.time(i.lastCapture)))))));
  return [{ label: s.service }, { label: 'instances' }];
}
