// Overview: open suspects first (each with a small chart of its evidence), then candidates, then
// every service with its instances and links to its flame graph.
import { el, replace } from '../dom.js';
import * as api from '../api.js';
import * as fmt from '../format.js';
import { href } from '../hashstate.js';
import { sparkline } from '../charts.js';

const ORDER = { open: 0, candidate: 1, resolved: 2 };

function suspectCard(s) {
  const chart = el('div', { class: 'spark' });
  const card = el('article', { class: 'card suspect-card', dataset: { suspectId: s.suspectId, service: s.service } },
    el('div', {}, el('span', { class: 'badge ' + s.state }, s.state), ' ',
      el('span', { class: 'meta' }, s.service, ' · ', s.kind.replace(/_/g, ' '))),
    el('h3', {}, el('a', { href: href('suspect', [s.service, s.suspectId]), class: 'suspect-link',
      title: fmt.frame(s.site) }, fmt.frame(s.site, true))),
    el('div', { class: 'meta' }, 'growth ', fmt.rate(s.growthRate, s.growthUnit), ' · now ',
      fmt.value(s.currentValue, s.valueUnit), ' · confidence ', fmt.percent(s.confidence),
      s.projectedExhaustion ? ' · exhaustion ' + fmt.time(s.projectedExhaustion) : ''),
    related(s),
    chart);
  return { card, chart };
}

/**
 * The suspects of the other kind that are probably the same bug (docs/DETECTION.md "Related
 * suspects"), as links; nothing when there are none.
 */
function related(s) {
  const ids = s.relatedSuspects || [];
  if (ids.length === 0) return null;
  return el('div', { class: 'meta related' }, 'same bug as ', ids.map((id, i) => [i ? ', ' : '',
    el('a', { href: href('suspect', [s.service, id]) }, id.slice(0, 12))]),
    s.kind === 'GOROUTINE' ? ' (heap these goroutines hold)' : ' (goroutines holding this heap)');
}

function servicesTable(services, counts) {
  return el('table', { class: 'services' },
    el('thead', {}, el('tr', {}, el('th', {}, 'Service'), el('th', {}, 'Suspects'), el('th', {}, 'Instances'),
      el('th', {}, 'Profile types'), el('th', {}, 'Latest capture'), el('th', {}, 'Views'))),
    el('tbody', {}, services.map((s) => el('tr', { dataset: { service: s.service } },
      el('td', { class: 'service' }, el('strong', {}, el('a', { href: href('service', [s.service]) }, s.service))),
      el('td', {}, counts.get(s.service) ? String(counts.get(s.service)) : '0'),
      el('td', { class: 'instances' }, instancesCell(s)),
      el('td', {}, s.profileTypes.join(', ')),
      el('td', {}, fmt.time(s.lastCapture)),
      el('td', { class: 'links' },
        el('a', { href: href('flame', [s.service], { metric: s.profileTypes.includes('heap') ? 'inuse_space' : 'goroutines' }) }, 'flame graph'),
        el('a', { href: href('diff', [s.service], { metric: s.profileTypes.includes('heap') ? 'inuse_space' : 'goroutines' }) }, 'diff'))))));
}

/**
 * A service's instances as the listing gives them (its first few by name), with the count; when it
 * left some out, a link to the service's page, which pages through all of them.
 */
function instancesCell(s) {
  return [
    s.instances.map((i) => el('div', {}, i.instance, el('span', { class: 'muted' }, ' · last ', fmt.time(i.lastCapture)))),
    s.instancesTruncated
      ? el('div', { class: 'muted' }, `${s.instances.length} of ${s.instanceCount} · `,
        el('a', { href: href('service', [s.service]), class: 'all-instances' }, `all ${s.instanceCount} instances`))
      : el('div', { class: 'muted' }, `${s.instanceCount} instance${s.instanceCount === 1 ? '' : 's'}`)];
}

/** The line above the services table: which page of them this is, and a link to the next one. */
function servicesPage(services, page) {
  if (!services.truncated && !page.after) return null;
  const names = services.services.map((s) => s.service);
  const shown = names.length === 0 ? 'No services' : `Services ${names[0]} to ${names[names.length - 1]} by name`;
  return el('p', { class: 'muted', id: 'services-page' }, shown,
    page.after ? [' (after ', page.after, '; ', el('a', { href: href('overview', [], { limit: page.limit, instances: page.instances }) }, 'first page'), ')'] : '',
    services.truncated ? [' · ', el('a', { href: href('overview', [], { after: services.next, limit: page.limit, instances: page.instances }),
      id: 'next-services' }, 'next page')] : '');
}

// Instances listed per service in the table (the API's `instances`; `#/overview?instances=` changes
// it): a row stays readable, and the service's page lists the rest.
const INSTANCES_SHOWN = 10;

// The suspect listing is paged (by service, then id): the overview shows the first pages' worth of
// open suspects and of candidates, and says when there are more than it shows.
const OPEN_SHOWN = 1000;
const CANDIDATES_SHOWN = 100;

/** "12 open" or "1000+ open" when the listing had more than the page. */
const counted = (listing, word) => `${listing.count}${listing.truncated ? '+' : ''} ${word}`;

/** The note under the count when a listing was cut: which suspects are shown, and where the rest are. */
function cutNote(open, candidates) {
  const cut = [[open, 'open suspects'], [candidates, 'candidates']].filter(([l]) => l.truncated);
  if (cut.length === 0) return null;
  return el('p', { class: 'muted', id: 'suspects-cut' }, 'Showing the first ',
    cut.map(([l, word]) => `${l.count} ${word}`).join(' and '),
    ' by service name; the rest are in /api/v1/suspects (paged with after=', cut[0][0].next, ').');
}

export async function render(view, route) {
  // the services listing is paged by name (the API's `after` and `limit`, kept in the address)
  const page = { after: route.params.get('after') || null, limit: route.params.get('limit') || null,
    instances: route.params.get('instances') || null };
  const [open, candidates, services] = await Promise.all([
    api.get('/api/v1/suspects', { status: 'open', limit: OPEN_SHOWN }),
    api.get('/api/v1/suspects', { status: 'candidate', limit: CANDIDATES_SHOWN }),
    api.get('/api/v1/services', { ...page, instances: page.instances ?? INSTANCES_SHOWN })]);
  const list = [...open.suspects, ...candidates.suspects].sort((a, b) => (ORDER[a.state] ?? 9) - (ORDER[b.state] ?? 9)
    || (b.confidence ?? 0) - (a.confidence ?? 0) || a.service.localeCompare(b.service));
  const counts = new Map();
  for (const s of list) counts.set(s.service, (counts.get(s.service) || 0) + 1);
  const cards = list.map(suspectCard);
  replace(view,
    el('h1', {}, 'Leak suspects'),
    el('p', { class: 'muted' }, `${counted(open, 'open')}, ${counted(candidates, 'candidate')}` + (services.truncated || page.after
      ? '.' : `, across ${services.count} services.`)),
    cutNote(open, candidates),
    list.length === 0 ? el('p', { class: 'muted', id: 'no-suspects' }, 'No current suspects.') : null,
    el('section', { class: 'cards', id: 'suspects' }, cards.map((c) => c.card)),
    el('h2', {}, 'Services'),
    servicesPage(services, page),
    servicesTable(services.services, counts));
  cards.forEach((c, i) => sparkline(c.chart, list[i].evidence, list[i].valueUnit));
  return [];
}
