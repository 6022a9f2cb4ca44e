/** extra_dhcp_opts: a list of {opt_name, opt_value[, ip_version]} (type:list_of_any_key_specs_or_none). */
import { invalidInput } from '../errors';
import { toInt } from '../common/converters';
import { pyStr } from '../common/python';
import { validateListOf } from '../common/validators';

/** Python's len(s.splitlines()). */
const lineCount = (s: string): number => {
  const parts = s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  return parts[parts.length - 1] === '' ? parts.length - 1 : parts.length;
};

/** validate_oneline_not_empty_string(max). */
const isOneLine = (v: unknown, max: number): boolean =>
  typeof v === 'string' && v.trim() !== '' && [...v].length <= max && lineCount(v) <= 1;

function matchesSpec(opt: Record<string, unknown>): boolean {
  const keys = Object.keys(opt);
  if (!('opt_name' in opt) || !('opt_value' in opt)) return false;
  if (keys.some((k) => !['opt_name', 'opt_value', 'ip_version'].includes(k))) return false;
  if ('ip_version' in opt) {
    opt.ip_version = toInt(opt.ip_version);
    if (opt.ip_version !== 4 && opt.ip_version !== 6) return false;
  }
  const { opt_name: name, opt_value: value } = opt;
  // "router" and "classless-static-route" may be given an empty value (to suppress the option).
  if (name === 'router' || name === 'classless-static-route')
    if (value === null || (typeof value === 'string' && [...value].length <= 255)) return true;
  return isOneLine(name, 64) && (value === null || isOneLine(value, 255));
}

export function validateExtraDhcpOpts(data: unknown): undefined {
  if (data === null) return undefined;
  const msg = validateListOf((opt) => {
    const ok = typeof opt === 'object' && opt !== null && !Array.isArray(opt) && matchesSpec(opt as Record<string, unknown>);
    if (!ok) throw invalidInput(`No valid key specs matched for: ${pyStr(opt)}`);
    return undefined;
  }, data);
  if (msg) throw invalidInput(msg);
  return undefined;
}
