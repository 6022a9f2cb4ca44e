import { bridgeMappings, type Instance, type TestbedState, type TestbedStatus } from '@neutrino/testbed';

/** Base URL of the Neutron API from NEUTRINO_API_HOST / NEUTRINO_API_PORT (a wildcard listen address is reached on loopback). */
export function apiUrlFrom(host: string, port: string): string {
  const h = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/** `neutrino testbed status` as text: hosts, processes, instances, and anything missing or stray. */
export function formatStatus(s: TestbedStatus): string {
  if (!s.id) return `no test bed recorded in ${s.stateDir}\n`;
  const lines = [`test bed ${s.id} (${s.phase}) — state in ${s.stateDir}`];
  const missing = s.netns.filter((n) => !n.present).map((n) => n.name);
  if (missing.length) lines.push(`  MISSING namespaces: ${missing.join(', ')} (run \`neutrino testbed down\`)`);
  lines.push('hosts:');
  for (const h of s.hosts) {
    const ifaces = [`eth1 ${h.underlayIp}/${h.underlayPrefixLen}`, `eth2 (${h.physicalInterfaceMappings})`, ...(h.externalInterface ? [`${h.externalInterface} (external)`] : [])];
    // openvswitch hosts: their own OVS, the provider bridges of their bridge mappings
    const ovs = h.mechanism === 'openvswitch' ? `  openvswitch (${bridgeMappings(h)}, OVS in ${h.ovsRunDir})` : '';
    lines.push(`  ${h.name.padEnd(10)} netns ${h.netns}${h.present ? '' : ' (missing)'}  ${ifaces.join(', ')}${ovs}`);
  }
  if (s.processes.length) {
    lines.push('processes:');
    for (const p of s.processes) lines.push(`  ${String(p.pid).padEnd(8)} ${p.label}${p.alive ? '' : ' (gone)'}`);
  }
  lines.push(s.instances.length ? 'instances:' : 'instances: none');
  for (const i of s.instances) {
    const addr = i.addresses.join(', ') || (i.dhcp ? 'no lease yet' : 'no address');
    const dhcp = i.dhcp ? `dhcp ${i.dhcpClientAlive ? 'running' : 'NOT running'}` : 'static';
    lines.push(`  ${i.name.padEnd(10)} on ${i.host.padEnd(10)} port ${i.portId ?? '-'}  ${i.tap ?? '-'}  ${i.mac ?? '-'}  ${addr}  (${dhcp}${i.present ? '' : ', namespace missing'})`);
  }
  if (s.otherNetns.length) lines.push(`other namespaces with the prefix: ${s.otherNetns.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

export function formatUp(s: TestbedState, ms: number): string {
  const hosts = s.plan.hosts.map((h) => `${h.name} (${h.netns}, ${h.underlayIp})`).join(', ');
  return `test bed ${s.id} up in ${ms} ms: fabric ${s.plan.fabric.netns}, internet ${s.plan.internet.netns} (${s.plan.internet.gatewayIp}), hosts ${hosts}\n`;
}

export function formatBoot(i: Instance): string {
  const ips = i.fixedIps.map((f) => f.ip_address).join(', ');
  return `instance ${i.name}: netns ${i.netns}, port ${i.portId} (${i.mac}, ${ips}) plugged as ${i.tap} on ${i.host}${i.dhcp ? ', DHCP client started' : ', addressed statically'}\n`;
}
