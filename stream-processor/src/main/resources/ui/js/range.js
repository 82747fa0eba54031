// The toolbar of the flame, diff and suspect views: metric, time range(s) and presets. Bounds are
// passed to the API as typed (ISO-8601, ms since the epoch, 'now' or 'now-1h'); empty bounds take the
// API's default, the hour before the service's latest capture.
import { el } from './dom.js';
import { METRICS } from './api.js';

const PRESETS = [
  ['', 'Latest hour of data'], ['now-15m', 'Last 15 minutes'], ['now-1h', 'Last hour'],
  ['now-6h', 'Last 6 hours'], ['now-24h', 'Last 24 hours'], ['now-7d', 'Last 7 days'],
];

/** An end bound a relative preset ends at ('now'; empty in addresses from before presets set it). */
const isNow = (to) => !to || to === 'now';

function input(name, value, label) {
  return el('label', {}, label, el('input', {
    name, value: value || '', size: 22, placeholder: 'default', autocomplete: 'off',
    title: 'ISO-8601 (2026-01-31T12:00:00Z), ms since the epoch, now or now-<n>(s|m|h|d)',
  }));
}

/**
 * A toolbar form. fields: which of metric, range (from/to), base (baseFrom/baseTo) to show; values:
 * current params; onApply(params) gets the form's values when submitted.
 */
export function toolbar(fields, values, onApply) {
  const parts = [];
  if (fields.includes('metric')) {
    parts.push(el('label', {}, 'Metric', el('select', { name: 'metric' },
      METRICS.map((m) => el('option', { value: m, selected: m === values.metric }, m)))));
  }
  if (fields.includes('base')) {
    parts.push(input('baseFrom', values.baseFrom, 'Base from'), input('baseTo', values.baseTo, 'Base to'));
  }
  if (fields.includes('range')) {
    // The preset the bounds are, or "Custom range": the first option would otherwise claim
    // "Latest hour of data" beside bounds that say something else.
    const chosen = PRESETS.find(([v]) => (v === '' ? !values.from && !values.to : v === values.from && isNow(values.to)));
    const preset = el('select', { name: 'preset', 'aria-label': 'Range preset' },
      PRESETS.map(([v, l]) => el('option', { value: v, selected: chosen !== undefined && chosen[0] === v }, l)),
      chosen ? null : el('option', { value: 'custom', selected: true, disabled: true }, 'Custom range'));
    parts.push(el('label', {}, 'Range', preset), input('from', values.from, fields.includes('base') ? 'Target from' : 'From'),
      input('to', values.to, fields.includes('base') ? 'Target to' : 'To'));
    preset.addEventListener('change', () => {
      const form = preset.form;
      form.elements.from.value = preset.value;
      // A relative preset ends now: left empty, `to` would be the API's default, just after the
      // service's latest capture, and a service silent for longer than the preset would be refused
      // ("from must be before to") instead of shown as a range without captures.
      form.elements.to.value = preset.value === '' ? '' : 'now';
      form.requestSubmit();
    });
  }
  parts.push(el('button', { type: 'submit' }, 'Apply'));
  const shown = el('span', { class: 'range-shown' });
  parts.push(shown);
  const form = el('form', { class: 'toolbar' }, parts);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const out = {};
    for (const name of ['metric', 'from', 'to', 'baseFrom', 'baseTo']) {
      if (form.elements[name]) out[name] = form.elements[name].value.trim();
    }
    onApply(out);
  });
  return { form, shown };
}
