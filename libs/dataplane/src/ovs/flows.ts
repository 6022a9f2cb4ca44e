/*
 * OpenFlow flows as `ovs-ofctl` writes and reads them, in one normalized form
 * so that a flow we ask for and the same flow dumped back compare equal:
 * cookie in lower-case hex, table and priority as numbers (OVS's defaults 0 and
 * 32768 filled in), the match as `field=value` items in a canonical order
 * (protocol shorthands such as `ip`/`arp`/`udp` folded in, port names unquoted,
 * tun_id in hex), the actions as one string (their order is meaningful; port
 * names unquoted, set_tunnel in hex, an empty list as `drop`). Counters
 * (duration, n_packets, n_bytes, idle_age, hard_age) are dropped.
 */

export interface OfFlow {
  /** `0x…`, lower-case, no leading zeros (`0x0` = none). */
  cookie: string;
  table: number;
  priority: number;
  /** Canonical `field=value,…` (empty: matches everything). */
  match: string;
  actions: string;
  /** Set on flows that expire by themselves (learned entries); 0 = never. */
  idleTimeout?: number;
  hardTimeout?: number;
}

/** OVS's default flow priority (omitted from its dumps). */
export const DEFAULT_PRIORITY = 32768;

const COUNTERS = new Set(['duration', 'n_packets', 'n_bytes', 'idle_age', 'hard_age']);
/** Flow attributes that are neither match fields nor counters; dropped but for the timeouts. */
const ATTRIBUTES = new Set(['importance', 'send_flow_rem', 'reset_counts', 'no_packet_counts', 'no_byte_counts', 'check_overlap', 'out_port', 'out_group']);

/** Protocol shorthands: dl_type and (for L4 ones) nw_proto. */
const SHORTHANDS: Record<string, { dlType: string; nwProto?: string }> = {
  ip: { dlType: '0x0800' },
  ipv6: { dlType: '0x86dd' },
  arp: { dlType: '0x0806' },
  rarp: { dlType: '0x8035' },
  mpls: { dlType: '0x8847' },
  mplsm: { dlType: '0x8848' },
  icmp: { dlType: '0x0800', nwProto: '1' },
  tcp: { dlType: '0x0800', nwProto: '6' },
  udp: { dlType: '0x0800', nwProto: '17' },
  sctp: { dlType: '0x0800', nwProto: '132' },
  icmp6: { dlType: '0x86dd', nwProto: '58' },
  tcp6: { dlType: '0x86dd', nwProto: '6' },
  udp6: { dlType: '0x86dd', nwProto: '17' },
  sctp6: { dlType: '0x86dd', nwProto: '132' },
};
const SHORTHAND_OF = new Map(Object.entries(SHORTHANDS).map(([name, s]) => [`${s.dlType}/${s.nwProto ?? ''}`, name]));

/** Match fields in the order we print them (OVS's own order, roughly); others follow alphabetically. */
const FIELD_ORDER = [
  'in_port', 'tun_id', 'tun_src', 'tun_dst', 'metadata',
  ...Array.from({ length: 16 }, (_, i) => `reg${i}`),
  'ct_state', 'ct_zone', 'ct_mark', 'ct_label',
  'vlan_tci', 'dl_vlan', 'dl_vlan_pcp', 'dl_src', 'dl_dst', 'dl_type',
  'arp_spa', 'arp_tpa', 'arp_sha', 'arp_tha', 'arp_op',
  'nw_src', 'nw_dst', 'ipv6_src', 'ipv6_dst', 'ipv6_label', 'nw_proto', 'nw_tos', 'nw_ecn', 'nw_ttl', 'nw_frag',
  'tp_src', 'tp_dst', 'tcp_flags', 'icmp_type', 'icmp_code', 'icmpv6_type', 'icmpv6_code', 'nd_target', 'nd_sll', 'nd_tll',
];
const RANK = new Map(FIELD_ORDER.map((f, i) => [f, i]));

/** Synonyms OVS accepts for a field and prints under another name. */
const ALIASES: Record<string, string> = { tunnel_id: 'tun_id', eth_src: 'dl_src', eth_dst: 'dl_dst', eth_type: 'dl_type', ip_src: 'nw_src', ip_dst: 'nw_dst', ip_proto: 'nw_proto' };

const toHex = (v: string): string => {
  const [num, mask] = v.split('/');
  const h = (x: string) => `0x${BigInt(x).toString(16)}`;
  return mask === undefined ? h(num) : `${h(num)}/${h(mask)}`;
};
const unquote = (v: string): string => (v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v);
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}(\/[0-9a-f]{2}(:[0-9a-f]{2}){5})?$/i;

/** Split on commas outside parentheses, brackets and quotes. */
export function splitTopLevel(s: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let cur = '';
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '(' || ch === '[')) depth++;
    else if (!quoted && (ch === ')' || ch === ']')) depth--;
    if (ch === sep && depth === 0 && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((x) => x.trim()).filter((x) => x !== '');
}

/** The canonical match string of `field=value` / shorthand items. */
export function normalizeMatch(items: string[]): string {
  const fields = new Map<string, string>();
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq < 0) {
      const sh = SHORTHANDS[item];
      if (!sh) throw new Error(`unknown match field "${item}"`);
      fields.set('dl_type', sh.dlType);
      if (sh.nwProto) fields.set('nw_proto', sh.nwProto);
      continue;
    }
    const name = ALIASES[item.slice(0, eq)] ?? item.slice(0, eq);
    let value = unquote(item.slice(eq + 1));
    if (name === 'tun_id' || name === 'metadata' || name === 'dl_type') value = toHex(value);
    if (name === 'dl_type') value = `0x${value.slice(2).padStart(4, '0')}`;
    if (MAC.test(value)) value = value.toLowerCase();
    if (name === 'nw_proto') value = String(Number(value));
    fields.set(name, value);
  }
  const parts: string[] = [];
  const dlType = fields.get('dl_type');
  if (dlType !== undefined) {
    const withProto = SHORTHAND_OF.get(`${dlType}/${fields.get('nw_proto') ?? ''}`);
    const plain = SHORTHAND_OF.get(`${dlType}/`);
    if (withProto) {
      parts.push(withProto);
      fields.delete('dl_type');
      fields.delete('nw_proto');
    } else if (plain) {
      parts.push(plain);
      fields.delete('dl_type');
    }
  }
  const names = [...fields.keys()].sort((a, b) => (RANK.get(a) ?? 1e6) - (RANK.get(b) ?? 1e6) || (a < b ? -1 : a > b ? 1 : 0));
  for (const n of names) parts.push(`${n}=${fields.get(n)}`);
  return parts.join(',');
}

/** The canonical action string: port names unquoted, set_tunnel in hex, nothing = drop. */
export function normalizeActions(actions: string): string {
  const list = splitTopLevel(actions).map((a) => {
    const colon = a.indexOf(':');
    if (colon > 0 && !a.includes('(')) {
      const name = a.slice(0, colon);
      const arg = unquote(a.slice(colon + 1));
      if (name === 'set_tunnel' || name === 'set_tunnel64') return `set_tunnel:${toHex(arg)}`;
      if (name === 'mod_dl_src' || name === 'mod_dl_dst') return `${name}:${arg.toLowerCase()}`;
      return `${name}:${arg}`;
    }
    return a;
  });
  return list.length ? list.join(',') : 'drop';
}

const cookieOf = (v: string): string => {
  const c = v.split('/')[0];
  return `0x${BigInt(c).toString(16)}`;
};

/** One flow line, as `ovs-ofctl dump-flows` prints it or as we would write it for `add-flows`. */
export function parseFlow(line: string): OfFlow {
  const text = line.trim();
  const at = text.search(/(^|[\s,])actions=/);
  if (at < 0) throw new Error(`flow without actions: ${line}`);
  const head = text.slice(0, at);
  const actions = text.slice(text.indexOf('actions=', at) + 'actions='.length).trim();
  const flow: OfFlow = { cookie: '0x0', table: 0, priority: DEFAULT_PRIORITY, match: '', actions: normalizeActions(actions) };
  const matchItems: string[] = [];
  for (const item of splitTopLevel(head.replace(/\s+/g, ','))) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    const value = eq < 0 ? '' : item.slice(eq + 1);
    if (COUNTERS.has(key) || ATTRIBUTES.has(key)) continue;
    if (key === 'cookie') flow.cookie = cookieOf(value);
    else if (key === 'table') flow.table = Number(value);
    else if (key === 'priority') flow.priority = Number(value);
    else if (key === 'idle_timeout') flow.idleTimeout = Number(value);
    else if (key === 'hard_timeout') flow.hardTimeout = Number(value);
    else matchItems.push(item);
  }
  if (!Number.isInteger(flow.table) || !Number.isInteger(flow.priority)) throw new Error(`bad table or priority: ${line}`);
  flow.match = normalizeMatch(matchItems);
  if (!flow.idleTimeout) delete flow.idleTimeout;
  if (!flow.hardTimeout) delete flow.hardTimeout;
  return flow;
}

/** `ovs-ofctl dump-flows <br>` output: the reply header lines are skipped. */
export function parseDumpFlows(text: string): OfFlow[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^(NXST|OFPST)_FLOW reply/.test(l))
    .map(parseFlow);
}

/** A flow's identity for OpenFlow: what `--strict` matches on (table, priority, match). */
export const flowKey = (f: Pick<OfFlow, 'table' | 'priority' | 'match'>): string => `${f.table}|${f.priority}|${f.match}`;

/** The line `ovs-ofctl add-flows` reads. */
export function renderFlow(f: OfFlow): string {
  const head = [`cookie=${f.cookie}`, `table=${f.table}`, `priority=${f.priority}`];
  if (f.idleTimeout) head.push(`idle_timeout=${f.idleTimeout}`);
  if (f.hardTimeout) head.push(`hard_timeout=${f.hardTimeout}`);
  if (f.match) head.push(f.match);
  return `${head.join(',')} actions=${f.actions}`;
}

/** The line `ovs-ofctl --strict del-flows` reads: this exact flow, and only while it still has our cookie. */
export const renderStrictDelete = (f: OfFlow): string =>
  [`cookie=${f.cookie}/-1`, `table=${f.table}`, `priority=${f.priority}`, ...(f.match ? [f.match] : [])].join(',');

/** A flow given in any form `parseFlow` reads, normalized. */
export const flow = (line: string): OfFlow => parseFlow(line);
