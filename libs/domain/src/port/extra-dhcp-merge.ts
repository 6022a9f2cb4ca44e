import type { ExtraDhcpOpt } from '../model';

/** extra_dhcp_opts updates merge by option name (and IP version); a null value removes the option. */
export function mergeExtraDhcpOpts(current: ExtraDhcpOpt[], updates: Array<Record<string, unknown>>): ExtraDhcpOpt[] {
  const out = current.map((o) => ({ ...o }));
  for (const u of updates) {
    const version = (u.ip_version as number | undefined) ?? 4;
    const i = out.findIndex((o) => o.opt_name === u.opt_name && (o.ip_version ?? 4) === version);
    if (u.opt_value === null || u.opt_value === undefined) {
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    const opt: ExtraDhcpOpt = { opt_name: u.opt_name as string, opt_value: u.opt_value as string };
    if (u.ip_version !== undefined) opt.ip_version = version;
    if (i >= 0) out[i] = opt;
    else out.push(opt);
  }
  return out;
}
