import type { DeviceTc, FdbEntry, IpSet, Link, ManagedProcess, Route } from '../../model/types';
import { fdbKey, linkKey, routeKey, tcKey } from '../../model/keys';

/** A failure the real kernel/tool would report for the same operation. */
export class KernelError extends Error {}

/** The in-memory host: everything, ours and others', indexed for O(1) changes. */
export class MemoryKernel {
  namespaces = new Set<string>(['']);
  links = new Map<string, Link>();
  fdb = new Map<string, FdbEntry>();
  routes = new Map<string, Route>();
  sysctls = new Map<string, string>();
  /** tableKey → chain → rules (Map keeps declaration order) */
  tables = new Map<string, Map<string, string[]>>();
  ipsets = new Map<string, IpSet & { set: Set<string> }>();
  processes = new Map<string, ManagedProcess>();
  /** tcKey → a device's traffic control (only devices with some) */
  tc = new Map<string, DeviceTc>();
  private macSeq = 0;
  private pidSeq = 1000;

  nextMac(): string {
    const n = ++this.macSeq;
    return `02:00:${[24, 16, 8, 0].map((s) => ((n >> s) & 0xff).toString(16).padStart(2, '0')).join(':')}`;
  }

  nextPid(): number {
    return ++this.pidSeq;
  }

  requireNs(netns: string): void {
    if (!this.namespaces.has(netns)) throw new KernelError(`Cannot open network namespace "${netns}": No such file or directory`);
  }

  requireLink(netns: string, name: string): Link {
    const l = this.links.get(linkKey({ netns, name }));
    if (!l) throw new KernelError(`Cannot find device "${name}"${netns ? ` in ${netns}` : ''}`);
    return l;
  }

  /** Remove a device the way the kernel does: its veth peer, addresses, fdb entries and routes go with it. */
  removeLink(l: Link): void {
    const netns = l.netns ?? '';
    this.links.delete(linkKey(l));
    this.tc.delete(tcKey({ netns, dev: l.name }));
    for (const t of this.tc.values()) if ((t.netns ?? '') === netns && t.redirectIngressTo === l.name) t.redirectIngressTo = ''; // the filter goes with its target
    for (const [k, f] of this.fdb) if ((f.netns ?? '') === netns && f.dev === l.name) this.fdb.delete(k);
    for (const [k, r] of this.routes) if ((r.netns ?? '') === netns && r.dev === l.name) this.routes.delete(k);
    for (const other of this.links.values()) if ((other.netns ?? '') === netns && other.master === l.name) other.master = null;
    if (l.kind === 'veth' && l.peer) {
      const p = this.links.get(linkKey({ netns: l.peer.netns, name: l.peer.name }));
      if (p) this.removeLink(p);
    }
  }

  removeNamespace(netns: string): void {
    for (const l of [...this.links.values()]) if ((l.netns ?? '') === netns && this.links.has(linkKey(l))) this.removeLink(l);
    const inNs = (k: string) => k.startsWith(`${netns}/`);
    for (const m of [this.fdb, this.routes, this.sysctls, this.tables, this.ipsets, this.tc] as Map<string, unknown>[]) {
      for (const k of [...m.keys()]) if (inNs(k)) m.delete(k);
    }
    this.namespaces.delete(netns);
  }

  putRoute(r: Route): void {
    this.routes.set(routeKey(r), r);
  }

  putFdb(f: FdbEntry): void {
    this.fdb.set(fdbKey(f), f);
  }
}
