/*
 * Bridges, ports and interfaces of one OVSDB (`ovs-vsctl --format=json list
 * …`), the bridges and ports an owner wants, and the one `ovs-vsctl`
 * transaction that gets there. Bridges and ports we create carry
 * `external_ids:neutrino-owner=<owner>`; only those are ever changed or
 * removed — the operator's bridges and ports (and those of another owner) are
 * left as they are, except that a desired port is added to a bridge we did not
 * create (e.g. a provider bridge).
 */

/** The external_ids key that marks what an owner created. */
export const OWNER_KEY = 'neutrino-owner';

export interface OvsInterface {
  uuid: string;
  name: string;
  /** '' (a system device), internal, patch, vxlan, gre, … */
  type: string;
  options: Record<string, string>;
  /** OpenFlow port number; -1 when it could not be opened, undefined before vswitchd assigned one. */
  ofport?: number;
  externalIds: Record<string, string>;
}

export interface OvsPort {
  uuid: string;
  name: string;
  bridge?: string;
  tag?: number;
  interfaces: OvsInterface[];
  externalIds: Record<string, string>;
}

export interface OvsBridge {
  uuid: string;
  name: string;
  datapathType: string;
  failMode: string;
  ports: OvsPort[];
  externalIds: Record<string, string>;
}

export interface OvsTopology {
  bridges: OvsBridge[];
}

export interface DesiredPort {
  name: string;
  /** Access port of this local VLAN. */
  tag?: number;
  /** Interface type: '' (default, a system device), internal, patch, vxlan, … */
  type?: string;
  /** Interface options (a patch port's `peer`, a tunnel's `remote_ip`, …). */
  options?: Record<string, string>;
  externalIds?: Record<string, string>;
}

export interface DesiredBridge {
  name: string;
  datapathType: string;
  failMode?: 'secure' | 'standalone';
  ports: DesiredPort[];
  /**
   * The bridge is someone else's (an operator's provider bridge): never
   * created, changed or removed; only the desired ports are put on it.
   */
  external?: boolean;
}

/* ---- OVSDB JSON values ---- */

type Atom = string | number | boolean | ['uuid', string] | ['named-uuid', string];
type Datum = Atom | ['set', Atom[]] | ['map', [Atom, Atom][]];

const atom = (a: Atom): string | number | boolean => (Array.isArray(a) ? a[1] : a);
const setOf = (d: Datum): (string | number | boolean)[] => {
  if (Array.isArray(d) && d[0] === 'set') return (d[1] as Atom[]).map(atom);
  return [atom(d as Atom)];
};
const mapOf = (d: Datum): Record<string, string> => {
  const out: Record<string, string> = {};
  if (Array.isArray(d) && d[0] === 'map') for (const [k, v] of d[1] as [Atom, Atom][]) out[String(atom(k))] = String(atom(v));
  return out;
};
const optional = (d: Datum): string | number | boolean | undefined => setOf(d)[0];

/** Rows of `ovs-vsctl --format=json … list <table>` as column → value. */
export function parseVsctlList(json: string): Record<string, Datum>[] {
  const t = JSON.parse(json) as { headings: string[]; data: Datum[][] };
  return t.data.map((row) => Object.fromEntries(t.headings.map((h, i) => [h, row[i]])));
}

export const BRIDGE_COLUMNS = ['_uuid', 'name', 'datapath_type', 'fail_mode', 'ports', 'external_ids'];
export const PORT_COLUMNS = ['_uuid', 'name', 'tag', 'interfaces', 'external_ids'];
export const INTERFACE_COLUMNS = ['_uuid', 'name', 'type', 'options', 'ofport', 'external_ids'];

/** The three tables' JSON listings joined into bridges → ports → interfaces (each sorted by name). */
export function parseTopology(bridgeJson: string, portJson: string, interfaceJson: string): OvsTopology {
  const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const ifaces = new Map<string, OvsInterface>();
  for (const r of parseVsctlList(interfaceJson)) {
    const ofport = optional(r.ofport);
    const i: OvsInterface = { uuid: String(atom(r._uuid as Atom)), name: String(atom(r.name as Atom)), type: String(atom(r.type as Atom)), options: mapOf(r.options), externalIds: mapOf(r.external_ids) };
    if (typeof ofport === 'number') i.ofport = ofport;
    ifaces.set(i.uuid, i);
  }
  const ports = new Map<string, OvsPort>();
  for (const r of parseVsctlList(portJson)) {
    const tag = optional(r.tag);
    const p: OvsPort = {
      uuid: String(atom(r._uuid as Atom)),
      name: String(atom(r.name as Atom)),
      interfaces: setOf(r.interfaces).map((u) => ifaces.get(String(u))).filter((i): i is OvsInterface => !!i).sort(byName),
      externalIds: mapOf(r.external_ids),
    };
    if (typeof tag === 'number') p.tag = tag;
    ports.set(p.uuid, p);
  }
  const bridges: OvsBridge[] = parseVsctlList(bridgeJson).map((r) => {
    const name = String(atom(r.name as Atom));
    const bridgePorts = setOf(r.ports).map((u) => ports.get(String(u))).filter((p): p is OvsPort => !!p);
    for (const p of bridgePorts) p.bridge = name;
    return {
      uuid: String(atom(r._uuid as Atom)),
      name,
      datapathType: String(atom(r.datapath_type as Atom)),
      failMode: String(optional(r.fail_mode) ?? ''),
      ports: bridgePorts.sort(byName),
      externalIds: mapOf(r.external_ids),
    };
  });
  return { bridges: bridges.sort(byName) };
}

/* ---- the plan ---- */

export interface TopologyPlan {
  /** `ovs-vsctl` arguments of one transaction (commands separated by `--`); empty when nothing is to be done. */
  args: string[];
  /** One line per change, for logs and tests. */
  changes: string[];
}

const owned = (ids: Record<string, string>, owner: string) => ids[OWNER_KEY] === owner;
const quote = (v: string) => (/^[A-Za-z0-9_.:/-]+$/.test(v) ? v : JSON.stringify(v));
const sameMap = (want: Record<string, string>, have: Record<string, string>) =>
  Object.keys(want).length === Object.keys(have).length && Object.entries(want).every(([k, v]) => have[k] === v);

function portCommands(bridge: string, p: DesiredPort, owner: string, cur: OvsPort | undefined): { cmds: string[][]; changes: string[] } {
  const cmds: string[][] = [];
  const changes: string[] = [];
  const type = p.type ?? '';
  const options = p.options ?? {};
  const ids = { ...(p.externalIds ?? {}), [OWNER_KEY]: owner };
  const iface = cur?.interfaces.find((i) => i.name === p.name);
  if (!cur) {
    cmds.push(['add-port', bridge, p.name, ...(p.tag !== undefined ? [`tag=${p.tag}`] : [])]);
    changes.push(`add port ${bridge}/${p.name}`);
  } else if (cur.tag !== p.tag) {
    cmds.push(p.tag === undefined ? ['clear', 'Port', p.name, 'tag'] : ['set', 'Port', p.name, `tag=${p.tag}`]);
    changes.push(`set port ${bridge}/${p.name} tag=${p.tag ?? '[]'}`);
  }
  if (!cur || !sameMap(ids, cur.externalIds)) {
    cmds.push(['set', 'Port', p.name, ...Object.entries(ids).map(([k, v]) => `external_ids:${k}=${quote(v)}`)]);
    if (cur) {
      cmds.unshift(['clear', 'Port', p.name, 'external_ids']);
      changes.push(`set port ${bridge}/${p.name} external_ids`);
    }
  }
  const typeDiffers = (iface?.type ?? '') !== type;
  const optionsDiffer = !sameMap(options, iface?.options ?? {});
  if (!cur || typeDiffers || optionsDiffer) {
    const set = [`type=${type === '' ? '""' : type}`, ...Object.entries(options).map(([k, v]) => `options:${k}=${quote(v)}`)];
    if (cur && optionsDiffer) cmds.push(['clear', 'Interface', p.name, 'options']);
    cmds.push(['set', 'Interface', p.name, ...set]);
    if (cur) changes.push(`set interface ${bridge}/${p.name} ${set.join(' ')}`);
  }
  return { cmds, changes };
}

/**
 * The transaction that turns `cur` into `want` for one owner. Pure. Bridges
 * and ports of the owner that are not wanted are deleted; a wanted port found
 * on another bridge is moved; nothing of another owner is changed.
 */
export function planTopology(want: DesiredBridge[], cur: OvsTopology, owner: string): TopologyPlan {
  const cmds: string[][] = [];
  const changes: string[] = [];
  const curBridges = new Map(cur.bridges.map((b) => [b.name, b]));
  const curPorts = new Map(cur.bridges.flatMap((b) => b.ports.map((p) => [p.name, p] as const)));
  const wantedBridges = new Set(want.map((b) => b.name));
  const wantedPorts = new Map(want.flatMap((b) => b.ports.map((p) => [p.name, b.name] as const)));

  // What we own and nobody wants any more goes first (a port may be re-added elsewhere).
  for (const b of cur.bridges) {
    if (!wantedBridges.has(b.name) && owned(b.externalIds, owner)) {
      cmds.push(['--if-exists', 'del-br', b.name]);
      changes.push(`del bridge ${b.name}`);
      continue;
    }
    for (const p of b.ports) {
      const target = wantedPorts.get(p.name);
      if (p.name === b.name) continue; // the bridge's own internal port
      if (target === undefined && owned(p.externalIds, owner)) {
        cmds.push(['--if-exists', 'del-port', b.name, p.name]);
        changes.push(`del port ${b.name}/${p.name}`);
      } else if (target !== undefined && target !== b.name && owned(p.externalIds, owner)) {
        cmds.push(['--if-exists', 'del-port', b.name, p.name]);
        changes.push(`move port ${p.name} from ${b.name} to ${target}`);
        curPorts.delete(p.name);
      }
    }
  }
  for (const b of want) {
    const have = curBridges.get(b.name);
    if (!b.external) {
      const set = [`datapath_type=${b.datapathType}`, ...(b.failMode ? [`fail_mode=${b.failMode}`] : []), `external_ids:${OWNER_KEY}=${quote(owner)}`];
      if (!have) {
        cmds.push(['--may-exist', 'add-br', b.name], ['set', 'Bridge', b.name, ...set]);
        changes.push(`add bridge ${b.name} ${set.join(' ')}`);
      } else if (have.datapathType !== b.datapathType || have.failMode !== (b.failMode ?? have.failMode) || !owned(have.externalIds, owner)) {
        cmds.push(['set', 'Bridge', b.name, ...set]);
        changes.push(`set bridge ${b.name} ${set.join(' ')}`);
      }
    } else if (!have) {
      throw new Error(`bridge ${b.name} does not exist (it is the operator's to create)`);
    }
    for (const p of b.ports) {
      const c = curPorts.get(p.name);
      if (c && c.bridge === b.name && !owned(c.externalIds, owner)) continue; // someone else's port of that name
      if (c && c.bridge !== b.name && !owned(c.externalIds, owner)) throw new Error(`port ${p.name} is on ${c.bridge} and not ours`);
      const r = portCommands(b.name, p, owner, c && c.bridge === b.name ? c : undefined);
      cmds.push(...r.cmds);
      changes.push(...r.changes);
    }
  }
  return { args: cmds.flatMap((c) => ['--', ...c]), changes };
}
