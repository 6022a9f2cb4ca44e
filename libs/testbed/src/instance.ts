import { randomUUID } from 'node:crypto';
import { ensureScript, readLease, startDhcpClient, type Lease } from './dhcp-client';
import { addNetns, ipBatch, listNetns } from './netns';
import { tapName } from '@neutrino/naming';
import { checkInstanceName, instanceNetns } from './names';
import { NeutronClient } from './neutron-client';
import type { InstanceRecord, StateDir, TestbedState } from './state';
import { teardownInstance, type TeardownReport } from './teardown';
import { registerInstance } from './metadata-registration';
import { computeChecksums } from './ovs-hosts';

export interface BootOptions {
  networkId: string;
  /** A host of the test bed (its name becomes the port's binding:host_id). */
  host: string;
  /** Run a DHCP client in the instance (default); false configures the port's fixed IPs statically. */
  dhcp?: boolean;
  /** More port attributes for POST /v2.0/ports (fixed_ips, security_groups, port_security_enabled, …). */
  port?: Record<string, unknown>;
  /** With DHCP: wait this long for the lease before returning (default 0: return at once). */
  waitForLeaseMs?: number;
  /** What the metadata service serves this instance (with TestbedOptions.metadataUrl). */
  metadata?: InstanceMetadata;
}

/** Nova's part of an instance: registered with the metadata service at boot. */
export interface InstanceMetadata {
  userData?: string;
  /** key name → public key */
  publicKeys?: Record<string, string>;
  hostname?: string;
}

/** A booted instance: a namespace whose eth0 is plugged into a host like a VM's NIC. */
export type Instance = Readonly<InstanceRecord>;

export interface BootContext {
  dir: StateDir;
  state: TestbedState;
  client: NeutronClient;
  /** Register the instance with this metadata service (POST /instances) once its port exists. */
  metadataUrl?: string;
}

/** The host end of a VM NIC carries the guest MAC with the first octet fe, as libvirt does. */
const hostSideMac = (mac: string): string => `fe${mac.slice(2)}`;

export async function bootInstance(ctx: BootContext, name: string, opts: BootOptions): Promise<Instance> {
  const { dir, state, client } = ctx;
  checkInstanceName(name);
  const host = state.plan.hosts.find((h) => h.name === opts.host);
  if (!host) throw new Error(`no host "${opts.host}" in the test bed (hosts: ${state.plan.hosts.map((h) => h.name).join(', ')})`);
  if (dir.readInstance(name)) throw new Error(`instance "${name}" exists already`);
  const netns = instanceNetns(state.prefix, name);
  if ((await listNetns()).includes(netns)) throw new Error(`namespace ${netns} exists already`);

  const network = await client.getNetwork(opts.networkId);
  const rec: InstanceRecord = {
    name,
    netns,
    host: host.name,
    hostNetns: host.netns,
    networkId: opts.networkId,
    deviceId: randomUUID(),
    phase: 'creating',
    apiUrl: client.baseUrl,
    portId: null,
    tap: null,
    mac: null,
    mtu: network.mtu ?? 1500,
    fixedIps: [],
    dhcp: opts.dhcp ?? true,
    dhcpClient: null,
    createdAt: new Date().toISOString(),
  };
  dir.writeInstance(rec);
  try {
    const port = await client.createPort({
      name,
      admin_state_up: true,
      ...opts.port,
      network_id: opts.networkId,
      device_owner: 'compute:nova',
      device_id: rec.deviceId,
      'binding:host_id': host.name,
    });
    Object.assign(rec, { portId: port.id, mac: port.mac_address, fixedIps: port.fixed_ips ?? [], tap: tapName(port.id) });
    dir.writeInstance(rec);
    if (ctx.metadataUrl) await registerInstance(ctx.metadataUrl, rec, port, opts.metadata);
    await plug(rec, host.mechanism === 'openvswitch');
    if (rec.dhcp) {
      rec.dhcpClient = await startDhcpClient({ netns, instance: name, instanceDir: dir.instanceDir(name), script: ensureScript(dir.dir) });
      dir.writeInstance(rec);
    } else {
      await configureStatically(rec, client);
    }
    rec.phase = 'up';
    dir.writeInstance(rec);
  } catch (err) {
    await destroyInstance(dir, name, { apiUrl: client.baseUrl }).catch(() => undefined);
    throw err;
  }
  if (rec.dhcp && opts.waitForLeaseMs) await waitForLease(dir, name, opts.waitForLeaseMs);
  return rec;
}

/** The veth pair a hypervisor would make: tap<port[:11]> in the host (up, not in any bridge), eth0 in the instance. */
async function plug(rec: InstanceRecord, plugsIntoOvs: boolean): Promise<void> {
  const { tap, mac, mtu } = rec as InstanceRecord & { tap: string; mac: string; mtu: number };
  await addNetns([rec.netns]);
  await ipBatch(rec.hostNetns, [
    `link add ${tap} mtu ${mtu} address ${hostSideMac(mac)} type veth peer name eth0 mtu ${mtu} address ${mac} netns ${rec.netns}`,
    `link set ${tap} up`,
  ]);
  await ipBatch(rec.netns, ['link set lo up', 'link set eth0 up']);
  // the instance's packets cross OVS's userspace datapath on an openvswitch host: checksums computed here
  if (plugsIntoOvs) await computeChecksums(rec.netns, 'eth0');
}

/** `dhcp: false`: the port's fixed IPs with their subnets' prefix lengths, and a default route via each family's gateway. */
async function configureStatically(rec: InstanceRecord, client: NeutronClient): Promise<void> {
  const lines: string[] = [];
  const gateways = new Map<number, string>();
  for (const fip of rec.fixedIps) {
    const subnet = await client.getSubnet(fip.subnet_id);
    const v6 = subnet.ip_version === 6 || fip.ip_address.includes(':');
    lines.push(`addr add ${fip.ip_address}/${subnet.cidr.split('/')[1]} dev eth0${v6 ? ' nodad' : ''}`);
    if (subnet.gateway_ip && !gateways.has(v6 ? 6 : 4)) gateways.set(v6 ? 6 : 4, subnet.gateway_ip);
  }
  for (const [family, gw] of gateways) lines.push(`route add ${family === 6 ? '::/0' : '0.0.0.0/0'} via ${gw} dev eth0`);
  await ipBatch(rec.netns, lines);
}

export async function waitForLease(dir: StateDir, name: string, timeoutMs: number): Promise<Lease> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lease = readLease(dir.instanceDir(name));
    if (lease) return lease;
    if (Date.now() > deadline) throw new Error(`instance ${name} got no DHCP lease within ${timeoutMs} ms (see ${dir.instanceDir(name)}/udhcpc.log)`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function destroyInstance(dir: StateDir, name: string, opts: { apiUrl?: string | null; deletePort?: boolean } = {}): Promise<TeardownReport> {
  const rec = dir.readInstance(name);
  if (!rec) throw new Error(`no instance "${name}"`);
  const report: TeardownReport = { netnsRemoved: [], processesKilled: 0, portsDeleted: [], warnings: [] };
  await teardownInstance(rec, { deletePort: opts.deletePort ?? true, apiUrl: opts.apiUrl ?? null }, report);
  dir.removeInstance(name);
  return report;
}
