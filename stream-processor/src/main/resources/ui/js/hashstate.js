// The view's state lives in the URL fragment: #/<view>/<path segments>?<query>, so every view can be
// pasted into a chat and reopened as it was.

/** The current route: {view, args: [decoded segments], params: URLSearchParams}. */
export function current() {
  const raw = location.hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const segs = path.split('/').filter((s) => s.length > 0).map(decodeURIComponent);
  return { view: segs[0] || 'overview', args: segs.slice(1), params };
}

/** The fragment for a view: href('flame', ['svc'], {metric: 'inuse_space'}). Empty values are left out. */
export function href(view, args, params) {
  const path = [view, ...(args || [])].map(encodeURIComponent).join('/');
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const qs = q.toString();
  return '#/' + path + (qs ? '?' + qs : '');
}

/** Updates the address without a new history entry or a re-render (search and zoom). */
export function replaceParams(params) {
  const r = current();
  const merged = Object.fromEntries(r.params.entries());
  Object.assign(merged, params);
  history.replaceState(null, '', href(r.view, r.args, merged));
}
