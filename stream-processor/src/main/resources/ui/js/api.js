// The query API (docs/API.md) as the UI uses it. Same origin: the login cookie, when there is one,
// goes along with every request; nothing here sees the token.

/** An answer other than 2xx, with the API's error body when it sent one. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : 'HTTP ' + status);
    this.status = status;
    this.body = body;
  }
}

/** GET a JSON answer; params with empty values are left out. */
export async function get(path, params) {
  const res = await fetch(url(path, params), { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  const text = await res.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { body = { message: text.slice(0, 300) }; }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

/** A URL of the API (for links such as a profile download). */
export function url(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  return path + (q.toString() ? '?' + q : '');
}

export const svcPath = (service) => '/api/v1/services/' + encodeURIComponent(service);

/** The metric that measures a suspect's series kind. */
export function metricOf(seriesKind) {
  return seriesKind === 'heap' ? 'inuse_space' : 'goroutines';
}

/** The profile type (for downloads) of a metric. */
export function profileTypeOf(metric) {
  return metric === 'goroutines' ? 'goroutine' : 'heap';
}

export const METRICS = ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects', 'goroutines'];
