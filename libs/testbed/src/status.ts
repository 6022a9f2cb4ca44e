import { readLease, type Lease } from './dhcp-client';
import { addresses, listNetns } from './netns';
import { isAlive, type ProcessRef } from './pids';
import type { InstanceRecord, StateDir } from './state';
import type { HostInfo } from './topology';

export interface InstanceStatus extends InstanceRecord {
  present: boolean;
  dhcpClientAlive: boolean;
  lease: Lease | null;
  /** IPv4/IPv6 addresses (global scope) on the instance's eth0. */
  addresses: string[];
}

export interface TestbedStatus {
  up: boolean;
  stateDir: string;
  id: string | null;
  phase: 'creating' | 'up' | null;
  hosts: Array<HostInfo & { present: boolean }>;
  /** Topology namespaces (fabric, internet, hosts) with whether each exists. */
  netns: Array<{ name: string; present: boolean }>;
  /** Namespaces with the test bed's prefix that are neither topology nor instance (e.g. agents'). */
  otherNetns: string[];
  processes: Array<ProcessRef & { alive: boolean }>;
  instances: InstanceStatus[];
}

/** What the state directory records, checked against the kernel. */
export async function collectStatus(dir: StateDir): Promise<TestbedStatus> {
  const state = dir.readState();
  const existing = await listNetns();
  const instances = await Promise.all(
    dir.instances().map(async (rec): Promise<InstanceStatus> => {
      const present = existing.includes(rec.netns);
      const addrs = present ? await addresses(rec.netns, 'eth0').catch(() => []) : [];
      return {
        ...rec,
        present,
        dhcpClientAlive: !!rec.dhcpClient && isAlive(rec.dhcpClient),
        lease: readLease(dir.instanceDir(rec.name)),
        addresses: addrs.filter((a) => a.scope === 'global').map((a) => `${a.local}/${a.prefixlen}`),
      };
    }),
  );
  const known = new Set([...(state?.netns ?? []), ...instances.map((i) => i.netns)]);
  return {
    up: state?.phase === 'up',
    stateDir: dir.dir,
    id: state?.id ?? null,
    phase: state?.phase ?? null,
    hosts: (state?.plan.hosts ?? []).map((h) => ({ ...h, present: existing.includes(h.netns) })),
    netns: (state?.netns ?? []).map((name) => ({ name, present: existing.includes(name) })),
    otherNetns: state ? existing.filter((n) => n.startsWith(state.prefix) && !known.has(n)) : [],
    processes: (state?.processes ?? []).map((p) => ({ ...p, alive: isAlive(p) })),
    instances,
  };
}
