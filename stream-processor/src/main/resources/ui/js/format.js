// Human formatting of the API's values. Times from the API are ISO-8601 UTC and are shown in UTC.

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

// Units and decimals are chosen on the number as printed, so that rounding never shows one past
// the unit's range: 1,048,575 bytes is "1.00 MiB", not "1024.0 KiB"; 999,990 is "1.00M", not "1000.0k".

function bytesIn(v, unit) {
  return unit === 0 ? v.toFixed(0) : v.toFixed(Number(v.toFixed(2)) < 10 ? 2 : 1);
}

export function bytes(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  let v = Math.abs(n);
  let i = 0;
  while (i < BYTE_UNITS.length - 1 && Number(bytesIn(v, i)) >= 1024) { v /= 1024; i++; }
  return (n < 0 ? '-' : '') + bytesIn(v, i) + ' ' + BYTE_UNITS[i];
}

export function count(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  const plain = Number.isInteger(n) ? String(n) : n.toFixed(1);
  if (Math.abs(Number(plain)) < 1e4) return plain;
  const thousands = (n / 1e3).toFixed(1);
  if (Math.abs(Number(thousands)) < 1e3) return thousands + 'k';
  return (n / 1e6).toFixed(2) + 'M';
}

/** A value in one of the API's units: bytes, objects, goroutines. */
export function value(n, unit) {
  return unit === 'bytes' ? bytes(n) : count(n) + (unit ? ' ' + unit : '');
}

/** A rate in the API's growth units: "bytes/hour" or "goroutines/hour". */
export function rate(n, unit) {
  if (n === null || n === undefined) return '–';
  const [what, per] = (unit || '').split('/');
  return (n > 0 ? '+' : '') + value(n, what) + (per ? '/' + per : '');
}

export function time(iso) {
  if (!iso) return '–';
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace('Z', ' UTC');
}

export function percent(share) {
  if (share === null || share === undefined) return '–';
  return (share * 100).toFixed(share < 0.1 ? 2 : 1) + '%';
}

// Longest name a heading, card or info line repeats; longer ones are cut in the middle there, so a
// function or file name of thousands of characters (any pprof may carry one) leaves the values and
// controls around it in view. Tooltips, tables and the stack keep the whole name.
const SHORT_CHARS = 160;

/** s, or its start and end around an ellipsis when it is longer than SHORT_CHARS. */
export function cut(s) {
  if (s.length <= SHORT_CHARS) return s;
  const head = Math.ceil((SHORT_CHARS - 1) / 2);
  return s.slice(0, head) + '…' + s.slice(s.length - (SHORT_CHARS - 1 - head));
}

/** "function (file.go:12)"; with short, the function and file name cut as cut() does (headings, cards). */
export function frame(f, short) {
  if (!f) return '–';
  const name = short ? cut : (s) => s;
  return name(f.function) + (f.file ? ' (' + name(f.file.split('/').pop()) + ':' + f.line + ')' : '');
}
