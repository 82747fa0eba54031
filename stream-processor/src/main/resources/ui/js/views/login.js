// The login form, shown when the API answers 401: posts the token once; the server keeps it in an
// HttpOnly cookie and sends the browser back to the view it came from.
import { el, replace } from '../dom.js';

export function render(view, message) {
  replace(view, el('section', { class: 'card login' },
    el('h1', {}, 'Log in'),
    el('p', { class: 'muted' }, message || 'This processor requires an API token.'),
    el('form', { method: 'post', action: '/ui/login' },
      el('label', {}, 'API token', el('input', { type: 'password', name: 'token', required: true, autocomplete: 'current-password' })),
      el('input', { type: 'hidden', name: 'next', value: location.hash || '#/' }),
      el('button', { type: 'submit' }, 'Log in'))));
}
