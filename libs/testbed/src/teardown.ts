import { deleteNetns, listNetns, netnsPids } from './netns';
import { NeutronClient } from './neutron-client';
import { stopHostOvs } from './ovs-hosts';
import { isAlive, killProcess, processRef, type ProcessRef } from './pids';
import type { InstanceRecord, StateDir } from './state';

export interface TeardownReport {
  netnsRemoved: string[];
  processesKilled: number;
  portsDeleted: string[];
  warnings: string[];
}

/** Kills the DHCP client, deletes the namespace (its veth and tap go with it) and, if asked, the port. */
export async function teardownInstance(rec: InstanceRecord, opts: { deletePort: boolean; apiUrl: string | null }, report: TeardownReport): Promise<void> {
  if (rec.dhcpClient) report.processesKilled += await kill(rec.dhcpClient);
  report.processesKilled += await killNetnsProcesses(rec.netns);
  if (await deleteNetns(rec.netns)) report.netnsRemoved.push(rec.netns);
  const apiUrl = opts.apiUrl ?? rec.apiUrl;
  if (opts.deletePort && rec.portId && apiUrl) {
    try {
      await new NeutronClient(apiUrl, { timeoutMs: 3000 }).deletePort(rec.portId);
      report.portsDeleted.push(rec.portId);
    } catch (err) {
      report.warnings.push(`port ${rec.portId} of ${rec.name} not deleted: ${(err as Error).message}`);
    }
  }
}

/** 1 when it was alive and is now gone, 0 when it was gone already. */
async function kill(ref: ProcessRef): Promise<number> {
  if (!isAlive(ref)) return 0;
  await killProcess(ref);
  return 1;
}

/** Every process still inside `netns` (e.g. a daemon an agent started there), killed by PID. */
async function killNetnsProcesses(netns: string): Promise<number> {
  const refs = (await netnsPids(netns)).map((pid) => processRef(pid, `process in ${netns}`)).filter((r): r is ProcessRef => !!r);
  await Promise.all(refs.map((r) => killProcess(r)));
  return refs.length;
}

/**
 * Removes everything the state directory records, plus any namespace carrying
 * the test bed's prefix (agents' own namespaces), whether or not the process
 * that made them is still alive. Safe to run twice.
 */
export async function teardown(dir: StateDir, opts: { deletePorts?: boolean; apiUrl?: string | null } = {}): Promise<TeardownReport> {
  const report: TeardownReport = { netnsRemoved: [], processesKilled: 0, portsDeleted: [], warnings: [] };
  const state = dir.readState();
  // Agents first, so nothing re-creates what is being removed.
  for (const p of state?.processes ?? []) report.processesKilled += await kill(p);
  for (const rec of dir.instances()) {
    await teardownInstance(rec, { deletePort: opts.deletePorts ?? true, apiUrl: opts.apiUrl ?? null }, report);
    dir.removeInstance(rec.name);
  }
  if (state) {
    // the hosts' Open vSwitch daemons, by the pids in their pid files
    for (const h of state.plan.hosts) {
      try {
        await stopHostOvs(h);
      } catch (err) {
        report.warnings.push(`Open vSwitch of ${h.name} not stopped by pid: ${(err as Error).message}`);
      }
    }
    const existing = await listNetns();
    const ours = [...state.netns, ...existing.filter((n) => n.startsWith(state.prefix))];
    // Agents' namespaces (prefixed with their host's namespace) before the hosts themselves.
    const order = [...new Set(ours)].sort((a, b) => b.length - a.length);
    for (const netns of order) {
      report.processesKilled += await killNetnsProcesses(netns);
      if (existing.includes(netns) && (await deleteNetns(netns))) report.netnsRemoved.push(netns);
    }
  }
  dir.clear();
  return report;
}
