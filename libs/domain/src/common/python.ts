/**
 * Neutron builds its messages with Python's `'%s' % value`. These helpers
 * render a JSON value the way Python's str()/repr() would, so our messages
 * read exactly like Zed's ("'5' is not a valid string", "{'start': '1'}").
 */
export function pyRepr(value: unknown): string {
  return reprAt(value, 0);
}

/** Nesting below this renders as `[...]`/`{...}` (Python would recurse until its own limit). */
const MAX_RENDER_DEPTH = 64;

const reprAt = (value: unknown, depth: number): string => (typeof value === 'string' ? reprString(value) : strAt(value, depth));

export function pyStr(value: unknown): string {
  return strAt(value, 0);
}

function strAt(value: unknown, depth: number): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return pyNumber(value);
  if (Array.isArray(value)) return depth >= MAX_RENDER_DEPTH ? '[...]' : `[${value.map((v) => reprAt(v, depth + 1)).join(', ')}]`;
  if (typeof value === 'object') {
    if (depth >= MAX_RENDER_DEPTH) return '{...}';
    const items = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${reprString(k)}: ${reprAt(v, depth + 1)}`);
    return `{${items.join(', ')}}`;
  }
  return String(value);
}

function pyNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n).replace(/e\+?/, (m) => (m === 'e' ? 'e' : 'e+'));
}

function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}

/** Python's repr of a set of strings, e.g. {'start', 'end'} (we keep the given order). */
export const pySetRepr = (items: string[]): string => `{${items.map(reprString).join(', ')}}`;

/** Python's repr of a list of strings, e.g. ['start', 'end']. */
export const pyListRepr = (items: string[]): string => `[${items.map(reprString).join(', ')}]`;

/** Python's `int(x)` for JSON input: ints, integral strings; floats truncate; bools are 0/1. */
export function pyInt(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : undefined;
  if (typeof value === 'string' && /^\s*[+-]?\d+(_\d+)*\s*$/.test(value)) return Number(value.replace(/_/g, '').trim());
  return undefined;
}

const TRUE_STRINGS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_STRINGS = ['0', 'f', 'false', 'off', 'n', 'no'];

/** oslo strutils.bool_from_string(strict=True): undefined when the value is not a boolean. */
export function pyBool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const s = pyStr(value).trim().toLowerCase();
  if (TRUE_STRINGS.includes(s)) return true;
  if (FALSE_STRINGS.includes(s)) return false;
  return undefined;
}
