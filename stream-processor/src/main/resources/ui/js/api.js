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

/** How many times a busy answer (see get) is asked again before it is shown as an error. */
export const BUSY_RETRIES = 3;

/** Dispatched on document before each such retry; detail: { seconds, retry, retries }. */
export const BUSY_EVENT = 'leakwatch-busy';

const MAX_WAIT_S = 10;

/**
 * GET a JSON answer; params with empty values are left out. A 503 whose body says `retryable: true`
 * (the instance is at its limit of concurrent queries, or its stores are moving) is asked again
 * after its Retry-After seconds (1 when absent or not a number; at most 10), up to BUSY_RETRIES
 * times, announcing each retry with BUSY_EVENT; after that, and for any other failure, it throws
 * the ApiError at once.
 */
export async function get(path, params) {
  for (let retry = 1; ; retry++) {
    const res = await fetch(url(path, params), { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    const text = await res.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = { message: text.slice(0, 300) }; }
    if (res.ok) return body;
    if (retry > BUSY_RETRIES || res.status !== 503 || !body || body.retryable !== true) throw new ApiError(res.status, body);
    const seconds = retryAfter(res);
    document.dispatchEvent(new CustomEvent(BUSY_EVENT, { detail: { seconds, retry, retries: BUSY_RETRIES } }));
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}

function retryAfter(res) {
  const header = res.headers.get('Retry-After');
  const seconds = header === null || header.trim() === '' ? NaN : Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, MAX_WAIT_S) : 1;
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
