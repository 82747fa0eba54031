// The single-page app: routes the URL fragment to a view, shows errors and the login form.
import { el, replace, errorBox } from './dom.js';
import { current, href } from './hashstate.js';
import { BUSY_EVENT } from './api.js';
import * as overview from './views/overview.js';
import * as suspect from './views/suspect.js';
import * as flameview from './views/flameview.js';
import * as diffview from './views/diffview.js';
import * as service from './views/service.js';
import * as login from './views/login.js';

const VIEWS = { overview, service, suspect, flame: flameview, diff: diffview };
let generation = 0;

function crumbs(items) {
  const nav = document.getElementById('crumbs');
  replace(nav, (items || []).map((c, i) => [i > 0 ? ' / ' : '', c.href ? el('a', { href: c.href }, c.label) : c.label]));
}

async function show() {
  const mine = ++generation;
  const route = current();
  const view = document.getElementById('view');
  const target = VIEWS[route.view];
  document.body.dataset.view = route.view;
  document.body.dataset.state = 'loading';
  if (!target) {
    replace(view, errorBox('No view "' + route.view + '".'), el('a', { href: href('overview') }, 'Overview'));
    document.body.dataset.state = 'error';
    return;
  }
  // A fresh element per render, so a slow answer for an old route never lands in the new view; it
  // is in the page while the view draws, since charts size themselves to it.
  const holder = el('div', {}, el('p', { class: 'muted', id: 'loading' }, 'Loading…'));
  replace(view, holder);
  try {
    const items = await target.render(holder, route);
    if (mine !== generation) return;
    crumbs(items);
    document.body.dataset.state = 'ready';
  } catch (e) {
    if (mine !== generation) return;
    if (e.status === 401 || e.status === 403) {
      login.render(view, e.status === 403 ? 'The token was not accepted; try again.' : null);
      document.body.dataset.state = 'login';
    } else {
      // A way on from the error without reloading the page: a busy or restarting server (the 503s
      // the API retried in vain) usually answers a little later.
      replace(view, errorBox(e), el('p', { class: 'links' },
        el('button', { type: 'button', id: 'try-again', onclick: () => show() }, 'Try again'),
        el('a', { href: href('overview') }, 'Overview')));
      document.body.dataset.state = 'error';
    }
    crumbs([]);
  }
}

// While a view waits for a busy server (api.js retries its 503s), its loading note says so; the
// view's answer or error replaces the note as usual.
document.addEventListener(BUSY_EVENT, (e) => {
  const note = document.getElementById('loading');
  if (note) {
    note.textContent = 'The server is busy; retrying in ' + e.detail.seconds + ' s (' + e.detail.retry + ' of '
      + e.detail.retries + ')…';
  }
});

window.addEventListener('hashchange', show);
show();
