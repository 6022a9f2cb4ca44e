import type { Link } from '../model/types';
import { indexBy, linkKey, ns, sortedKeys } from '../model/keys';
import { isLinkLocal6, normAddr, normCidr, normMac } from '@neutrino/netaddr';
import type { Change, Unresolved } from './changes';

export interface LinkPlan {
  changes: Change[];
  unresolved: Unresolved[];
  /** links (by key) that will not exist, or be brand new, after this plan: what hung off them is gone */
  gone: Set<string>;
}

const peerKey = (l: Link): string | undefined => (l.peer ? linkKey({ netns: l.peer.netns, name: l.peer.name }) : undefined);

/** Creation-time attributes differ: the device must be recreated. */
function mismatch(d: Link, o: Link): string | undefined {
  if (o.kind !== d.kind) return `is a ${o.observedKind || o.kind}, not a ${d.kind}`;
  if (d.kind === 'veth' && d.peer && o.peer?.name !== undefined) {
    if (o.peer.name !== d.peer.name || ns(o.peer.netns) !== ns(d.peer.netns)) return 'has another veth peer';
  }
  if (d.kind === 'vxlan' && d.vxlan) {
    const ov = (o.vxlan ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(d.vxlan)) {
      if (v === undefined) continue;
      const same = typeof v === 'string' ? normAddr(String(ov[k] ?? '')) === normAddr(v) : ov[k] === v;
      if (!same) return `vxlan ${k} differs`;
    }
  }
  return undefined;
}

/** What a new namespace comes with: a loopback device, down. */
const freshLoopback = (netns: string): Link => ({ netns, name: 'lo', kind: 'external', observedKind: '', up: false, mtu: 65536, master: null, addresses: [] });

export function diffLinks(desired: Link[], observed: Link[], deletedNs: Set<string>, createdNs: Set<string> = new Set()): LinkPlan {
  const D = indexBy(desired, linkKey);
  const O = indexBy([...observed, ...[...createdNs].map(freshLoopback)], linkKey);
  const changes: Change[] = [];
  const unresolved: Unresolved[] = [];
  const replaced = new Set<string>();
  const gone = new Set<string>();
  const markGone = (k: string) => {
    if (gone.has(k)) return;
    gone.add(k);
    const o = O.get(k);
    const p = o && peerKey(o);
    if (p) gone.add(p); // a veth takes its peer with it
  };
  for (const o of observed) if (deletedNs.has(ns(o.netns))) markGone(linkKey(o));
  const conflict = (key: string, reason: string) => unresolved.push({ kind: 'link', key, reason });

  const keys = [...D.keys()].sort();
  for (const key of keys) {
    const d = D.get(key)!;
    const o = O.get(key);
    if (d.kind === 'external') {
      if (!o) conflict(key, 'external device is missing');
      continue;
    }
    if (!o || gone.has(key)) continue;
    const why = mismatch(d, o);
    if (!why) continue;
    if (o.owned) {
      replaced.add(key);
      markGone(key);
    } else conflict(key, `a foreign device ${why}`);
  }
  // a veth end that must be created needs its peer's name free: a stale owned device there goes too
  for (let again = true; again; ) {
    again = false;
    for (const key of keys) {
      const d = D.get(key)!;
      if (d.kind !== 'veth' || !d.peer || (O.has(key) && !gone.has(key))) continue;
      const p = peerKey(d)!;
      const op = O.get(p);
      if (!op || gone.has(p)) continue;
      if (op.owned) {
        replaced.add(p);
        markGone(p);
        again = true;
      } else conflict(key, `veth peer name ${p} is taken by a foreign device`);
    }
  }
  for (const k of [...replaced].sort()) {
    const o = O.get(k)!;
    changes.push({ kind: 'link.del', netns: ns(o.netns), name: o.name, replace: true });
  }

  const created = new Set<string>();
  const stuck = new Set(unresolved.map((u) => u.key));
  for (const key of keys) {
    const d = D.get(key)!;
    if (d.kind === 'external' || (O.has(key) && !gone.has(key))) continue;
    if (stuck.has(key)) continue;
    if (d.kind === 'veth') {
      const p = peerKey(d);
      if (!d.peer || !p) {
        conflict(key, 'veth without a peer');
        continue;
      }
      if (created.has(p)) {
        created.add(key);
        continue;
      }
    }
    created.add(key);
    changes.push({ kind: 'link.add', link: { ...d, netns: ns(d.netns) } });
  }
  for (const k of created) gone.add(k);

  for (const key of keys) {
    const d = D.get(key)!;
    const o = O.get(key);
    const fresh = created.has(key);
    if (!fresh && (!o || gone.has(key))) continue;
    changes.push(...attributeChanges(d, fresh ? undefined : o));
  }

  for (const key of sortedKeys(O)) {
    const o = O.get(key)!;
    if (D.has(key) || !o.owned || gone.has(key)) continue;
    changes.push({ kind: 'link.del', netns: ns(o.netns), name: o.name, replace: false });
    markGone(key);
  }
  return { changes, unresolved, gone };
}

/** Attribute changes of a desired link against its current state (undefined = just created). */
function attributeChanges(d: Link, o: Link | undefined): Change[] {
  const out: Change[] = [];
  const netns = ns(d.netns);
  const set: Extract<Change, { kind: 'link.set' }> = { kind: 'link.set', netns, name: d.name };
  if (d.mtu !== undefined && o?.mtu !== d.mtu) set.mtu = d.mtu;
  if (d.mac !== undefined && (!o?.mac || normMac(o.mac) !== normMac(d.mac))) set.mac = normMac(d.mac);
  if (d.master !== undefined && (o?.master ?? null) !== d.master) set.master = d.master;
  const up = d.up ?? (d.kind === 'external' ? undefined : true);
  const known = !o || o.up !== undefined; // a desired state compared with itself has no observed `up`
  if (up !== undefined && known && !!o?.up !== up) set.up = up;
  const any = set.mtu !== undefined || set.mac !== undefined || set.master !== undefined || set.up !== undefined;
  if (any) out.push(set);
  if (d.addresses) {
    const want = new Set(d.addresses.map(normCidr));
    const foreign = new Set((d.foreignAddresses ?? []).map(normCidr));
    const have = new Set((o?.addresses ?? []).map(normCidr).filter((a) => !isLinkLocal6(a) && !foreign.has(a)));
    for (const a of [...have].sort()) if (!want.has(a)) out.push({ kind: 'addr.del', netns, dev: d.name, cidr: a });
    for (const a of [...want].sort()) if (!have.has(a)) out.push({ kind: 'addr.add', netns, dev: d.name, cidr: a });
  }
  return out;
}
