import type { Change, TableRef } from '../../diff/changes';
import { isIptablesChange } from '../../diff/changes';
import type { IptablesChange } from '../../render/iptables-restore';
import type { IpsetChange } from '../../render/ipset-restore';
import { tableKey } from '../../model/keys';
import type { HostState, Link, ManagedProcess } from '../../model/types';
import type { ApplyError, ApplyResult, Driver, Scope } from '../driver';
import { MemoryKernel } from './kernel';
import { addLink, changeAddr, setLink } from './apply-link';
import { applyTable } from './apply-iptables';
import { applyFdb, applyIpset, applyProcess, applyRoute, applyTc } from './apply-misc';
import { observeMemory } from './observe';
import { seedKernel } from './seed';

/**
 * The dataplane as an in-memory model with the kernel's rules (a missing
 * namespace or device fails, deleting a veth takes its peer, a chain in use
 * cannot be deleted …). No root needed; used by unit tests and no-root runs.
 */
export class MemoryDriver implements Driver {
  readonly kernel = new MemoryKernel();

  /** Start from a state (ours and other programs' objects alike), e.g. to simulate drift. */
  constructor(initial?: HostState) {
    if (initial) seedKernel(this.kernel, initial);
  }

  /** Add objects as another program would (they are kept, never owned unless their names say so). */
  seed(state: HostState): void {
    seedKernel(this.kernel, state);
  }

  async observe(scope: Scope): Promise<HostState> {
    return observeMemory(this.kernel, scope);
  }

  async observeHostLinks(): Promise<Link[]> {
    return [...this.kernel.links.values()].filter((l) => !l.netns).map((l) => structuredClone(l));
  }

  async observeProcesses(): Promise<ManagedProcess[]> {
    return [...this.kernel.processes.values()].map((p) => structuredClone(p));
  }

  async apply(changes: Change[]): Promise<ApplyResult> {
    const started = performance.now();
    const errors: ApplyError[] = [];
    let applied = 0;
    const run = (group: Change[], command: string, fn: () => void) => {
      try {
        fn();
        applied += group.length;
      } catch (e) {
        errors.push({ changes: group, command, message: (e as Error).message });
      }
    };
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i];
      if (isIptablesChange(c)) {
        const ref: TableRef = { netns: c.netns, family: c.family, table: c.table };
        const group: IptablesChange[] = [];
        while (i < changes.length && isIptablesChange(changes[i]) && tableKey(changes[i] as IptablesChange) === tableKey(ref)) {
          group.push(changes[i++] as IptablesChange);
        }
        i--;
        run(group, `iptables-restore ${tableKey(ref)}`, () => applyTable(this.kernel, ref, group));
        continue;
      }
      run([c], c.kind, () => this.applyOne(c));
    }
    return { applied, failed: changes.length - applied, errors, durationMs: performance.now() - started };
  }

  private applyOne(c: Change): void {
    const k = this.kernel;
    switch (c.kind) {
      case 'netns.add':
        if (k.namespaces.has(c.name)) throw new Error(`Cannot create namespace file "/run/netns/${c.name}": File exists`);
        k.namespaces.add(c.name);
        k.links.set(`${c.name}/lo`, { netns: c.name, name: 'lo', kind: 'external', observedKind: '', up: false, mtu: 65536, mac: '00:00:00:00:00:00', master: null, addresses: [] });
        return;
      case 'netns.del':
        k.requireNs(c.name);
        k.removeNamespace(c.name);
        return;
      case 'link.add': return addLink(k, c);
      case 'link.del': return k.removeLink(k.requireLink(c.netns, c.name));
      case 'link.set': return setLink(k, c);
      case 'addr.add': case 'addr.del': return changeAddr(k, c);
      case 'fdb.add': case 'fdb.del': return applyFdb(k, c);
      case 'route.set': case 'route.del': return applyRoute(k, c);
      case 'sysctl.set':
        k.requireNs(c.netns);
        k.sysctls.set(`${c.netns}/${c.key}`, c.value);
        return;
      case 'ipset.create': case 'ipset.update': case 'ipset.swap': case 'ipset.destroy':
        return applyIpset(k, c as IpsetChange);
      case 'tc.set': return applyTc(k, c);
      default:
        return applyProcess(k, c);
    }
  }
}
