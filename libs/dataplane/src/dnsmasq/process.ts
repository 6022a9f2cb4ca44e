import { join } from 'node:path';
import type { ManagedProcess } from '../model/types';
import { addrFamily, cidrSize, networkOf } from '@neutrino/netaddr';
import { renderAddnHostsFile, renderHostsFile, renderOptsFile } from './files';
import type { DnsmasqNetwork } from './types';

const MAX_LEASES = 2 ** 24;

/** dnsmasq's command line, in the order of spec/ipam-and-dhcp.md §9. */
export function dnsmasqArgv(n: DnsmasqNetwork): string[] {
  const f = (name: string) => join(n.confDir, name);
  const lease = n.leaseSeconds === -1 ? 'infinite' : `${n.leaseSeconds ?? 86400}s`;
  const subnets = n.subnets.filter((s) => s.enableDhcp !== false);
  const ranges = subnets.map((s, i) => {
    const [net, len] = networkOf(s.cidr).split('/');
    return addrFamily(s.cidr) === 6 ? `--dhcp-range=set:tag${i},${net},static,${len},${lease}` : `--dhcp-range=set:tag${i},${net},static,${lease}`;
  });
  const leaseMax = Math.min(subnets.reduce((a, s) => a + cidrSize(s.cidr), 0), MAX_LEASES);
  return [
    'dnsmasq', '--no-hosts', '--no-resolv', '--strict-order', '--bind-interfaces',
    `--interface=${n.interfaceName}`, '--except-interface=lo',
    `--pid-file=${f('pid')}`, `--dhcp-hostsfile=${f('host')}`, `--addn-hosts=${f('addn_hosts')}`, `--dhcp-optsfile=${f('opts')}`,
    '--leasefile-ro',
    ...ranges,
    ...(n.mtu ? [`--dhcp-option-force=option:mtu,${n.mtu}`] : []),
    `--dhcp-lease-max=${leaseMax}`,
    ...(n.dnsmasqConfigFile ? [`--conf-file=${n.dnsmasqConfigFile}`] : []),
    ...(n.dnsServers ?? []).map((s) => `--server=${s}`),
    ...(n.domain ? [`--domain=${n.domain}`] : []),
  ];
}

/** One network's dnsmasq as a managed process: files rewritten and SIGHUP on change, restarted when its argv changes. */
export function dnsmasqProcess(n: DnsmasqNetwork): ManagedProcess {
  const f = (name: string) => join(n.confDir, name);
  return {
    id: `dnsmasq-${n.networkId}`,
    netns: n.netns,
    argv: dnsmasqArgv(n),
    pidFile: f('pid'),
    files: [
      { path: f('host'), content: renderHostsFile(n) },
      { path: f('addn_hosts'), content: renderAddnHostsFile(n) },
      { path: f('opts'), content: renderOptsFile(n) },
      { path: f('interface'), content: `${n.interfaceName}\n` },
    ],
    reloadSignal: 'SIGHUP',
    daemonizes: true,
  };
}
