import * as path from 'node:path';
import type { ManagedProcess, Route } from '@neutrino/dataplane';
import type { PlannedConnection, VpnRouterPlan } from './vpn-plan';

/** Where one router's strongSwan keeps its files: `<ipsec dir>/<router_id>/` with etc/ and run/ (spec/vpnaas.md §3.3). */
export interface StrongswanSettings {
  /** `<data dir>/l3/<host>/ipsec`: per host, so test-bed hosts on one machine share nothing */
  ipsecDir: string;
  starterBin: string;
  /** where charon keeps SAs and policies (NEUTRINO_STRONGSWAN_IPSEC): the kernel's XFRM (default) or strongSwan's userspace libipsec */
  ipsecBackend?: 'kernel' | 'libipsec';
}

/**
 * The plugins each charon loads, named (charon.load) so that what happens to be installed does not
 * decide: Debian's default set for PSK site-to-site, with kernel-netlink for routes and addresses
 * and, for the libipsec backend, kernel-libipsec ahead of it (it then owns the SAs and policies).
 */
const PLUGINS = 'aes sha2 sha1 md5 random nonce x509 revocation constraints pubkey pkcs1 pkcs7 pkcs8 pem gmp xcbc hmac kdf drbg attr kernel-netlink resolve socket-default stroke vici updown';
export const charonPlugins = (backend: StrongswanSettings['ipsecBackend'] = 'kernel'): string =>
  backend === 'libipsec' ? PLUGINS.replace('kernel-netlink', 'kernel-libipsec kernel-netlink') : PLUGINS;

export interface StrongswanPaths {
  dir: string;
  etc: string;
  run: string;
  strongswanConf: string;
  ipsecConf: string;
  secrets: string;
  vici: string;
  /** charon's stroke socket (starter's; /var/run/charon.ctl in its mount namespace), named here so the agent's `stroke rereadsecrets` finds it */
  stroke: string;
  log: string;
  pidFile: string;
}

export function strongswanPaths(s: StrongswanSettings, routerId: string): StrongswanPaths {
  const dir = path.join(s.ipsecDir, routerId);
  const etc = path.join(dir, 'etc');
  const run = path.join(dir, 'run');
  return {
    dir, etc, run,
    strongswanConf: path.join(etc, 'strongswan.conf'),
    ipsecConf: path.join(etc, 'ipsec.conf'),
    secrets: path.join(etc, 'ipsec.secrets'),
    vici: path.join(run, 'charon.vici'),
    stroke: path.join(run, 'charon.ctl'),
    log: path.join(dir, 'charon.log'),
    pidFile: path.join(dir, 'starter.pid'),
  };
}

/** ipsec.conf of one router (golden form: spec/vpnaas.md §4), one `conn` per site connection; the algorithms as ike=/esp= proposals. */
export function renderIpsecConf(plan: VpnRouterPlan): string {
  const conn = (c: PlannedConnection) => [
    '',
    `conn ${c.id}`,
    `    keyexchange=${c.keyexchange}`,
    `    left=${c.left}`,
    `    leftsubnet=${c.leftsubnets.join(',')}`,
    `    leftid=${c.leftid}`,
    '    leftfirewall=yes',
    `    right=${c.right}`,
    `    rightsubnet=${c.rightsubnets.join(',')}`,
    `    rightid=${c.rightid}`,
    `    ike=${c.ike}`,
    `    ${c.childProposal.key}=${c.childProposal.value}`,
    `    ikelifetime=${c.ikelifetime}s`,
    `    lifetime=${c.lifetime}s`,
    `    dpdaction=${c.dpd.action}`,
    `    dpddelay=${c.dpd.delay}s`,
    `    dpdtimeout=${c.dpd.timeout}s`,
    `    auto=${c.auto}`,
  ];
  return [
    `# Configuration for ${plan.serviceNames.join(', ')}`,
    'config setup',
    '',
    'conn %default',
    '    ikelifetime=60m',
    '    keylife=20m',
    '    rekeymargin=3m',
    '    keyingtries=1',
    '    authby=psk',
    '    mobike=no',
    ...plan.connections.flatMap(conn),
    '',
  ].join('\n');
}

/** ipsec.secrets: `<left ip> <peer_id> : PSK "<psk>"` per connection (spec/vpnaas.md §4 rule 4). */
export function renderSecrets(plan: VpnRouterPlan): string {
  const quote = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return plan.connections.map((c) => `${c.leftid} ${c.rightid} : PSK "${quote(c.psk)}"`).join('\n') + '\n';
}

/**
 * strongswan.conf of one router's charon: every path it would share with
 * another instance is its own (vici and stroke sockets, secrets, log); the
 * pid files charon and starter write to /var/run land in the router's run/
 * (bound over /run in their mount namespace, see strongswanProcess). The
 * stroke socket is named: starter and the agent's `stroke rereadsecrets`
 * (STRONGSWAN_CONF set to this file) find it there.
 */
export function renderStrongswanConf(p: StrongswanPaths, backend: StrongswanSettings['ipsecBackend'] = 'kernel'): string {
  return [
    'charon {',
    `    load = ${charonPlugins(backend)}`,
    '    install_routes = yes',
    '    install_virtual_ip = no',
    '    retransmit_tries = 3',
    '    filelog {',
    '        charon {',
    `            path = ${p.log}`,
    '            time_format = %b %e %T',
    // <connection|n> on each line of an IKE SA: how the agent finds why a connection is down
    '            ike_name = yes',
    '            default = 1',
    '            ike = 2',
    '            flush_line = yes',
    '        }',
    '    }',
    '    plugins {',
    '        vici {',
    `            socket = unix://${p.vici}`,
    '        }',
    '        stroke {',
    `            socket = unix://${p.stroke}`,
    `            secrets_file = ${p.secrets}`,
    '        }',
    '    }',
    '}',
    'starter {',
    '    load_warning = no',
    '}',
    '',
  ].join('\n');
}

/**
 * One router's strongSwan: `starter` (which runs charon and loads ipsec.conf
 * through the stroke socket) in `qrouter-<id>`, in a mount namespace of its
 * own whose /run is the router's run/ directory — charon's pid file and
 * stroke socket are compile-time /var/run paths, so that is how several
 * routers' daemons on one machine keep apart. STRONGSWAN_CONF points charon
 * at the router's strongswan.conf. A change of the files is a SIGHUP to
 * starter (it re-reads ipsec.conf and updates the conns) — that router only.
 */
export function strongswanProcess(routerId: string, netns: string, plan: VpnRouterPlan, s: StrongswanSettings): ManagedProcess {
  const p = strongswanPaths(s, routerId);
  const runsAs = [s.starterBin, '--nofork', '--conf', p.ipsecConf];
  const script = `mkdir -p ${p.run} && mount --bind ${p.run} /run && STRONGSWAN_CONF=${p.strongswanConf} exec ${runsAs.join(' ')}`;
  return {
    id: `strongswan-${routerId}`,
    netns,
    argv: ['unshare', '--mount', '--propagation', 'private', 'sh', '-c', script],
    runsAs,
    pidFile: p.pidFile,
    files: [
      { path: p.strongswanConf, content: renderStrongswanConf(p, s.ipsecBackend) },
      { path: p.ipsecConf, content: renderIpsecConf(plan) },
      { path: p.secrets, content: renderSecrets(plan), mode: 0o600 },
    ],
    reloadSignal: 'SIGHUP',
  };
}

/** The NAT exemption (spec/vpnaas.md §5.4): tunnelled traffic leaves un-SNATed, one rule per local and peer CIDR. */
export function natExemptions(plan: VpnRouterPlan | undefined): string[] {
  const out: string[] = [];
  for (const c of plan?.connections ?? []) for (const l of c.leftsubnets) for (const r of c.rightsubnets) out.push(`-s ${l} -d ${r} -m policy --dir out --pol ipsec -j ACCEPT`);
  return [...new Set(out)];
}

/** The table charon installs its routes in (its kernel-netlink default, spec/vpnaas.md §5.1). */
export const CHARON_ROUTING_TABLE = '220';

/**
 * The routes charon installs in the router namespace, one per peer subnet of its connections, in
 * table 220 (via the peer and qg-, or via ipsec0 with libipsec): declared external, so a reconcile keeps
 * them (everything else in a qrouter- namespace is the agent's and would be deleted) and never makes them.
 */
export function charonRoutes(netns: string, plan: VpnRouterPlan): Route[] {
  const dsts = [...new Set(plan.connections.flatMap((c) => c.rightsubnets))].sort();
  return dsts.map((dst) => ({ netns, dst, table: CHARON_ROUTING_TABLE, external: true }));
}
