import type {
  DeviceTc,
  FdbEntry,
  IpSet,
  IptFamily,
  IptTableName,
  Link,
  ManagedProcess,
  ProcessFile,
  Route,
} from '../model/types';

export interface TableRef {
  netns: string;
  family: IptFamily;
  table: IptTableName;
}

/** One step of bringing a host from its observed to its desired state. `netns` '' = the host namespace. */
export type Change =
  | { kind: 'process.stop'; process: ManagedProcess }
  | { kind: 'netns.add'; name: string }
  | { kind: 'link.del'; netns: string; name: string; replace: boolean }
  | { kind: 'link.add'; link: Link }
  | { kind: 'link.set'; netns: string; name: string; mtu?: number; mac?: string; master?: string | null; up?: boolean }
  | { kind: 'addr.del'; netns: string; dev: string; cidr: string }
  | { kind: 'addr.add'; netns: string; dev: string; cidr: string }
  | { kind: 'fdb.add'; entry: FdbEntry }
  | { kind: 'route.set'; route: Route }
  | { kind: 'sysctl.set'; netns: string; key: string; value: string }
  | { kind: 'ipset.destroy'; netns: string; name: string; replace: boolean }
  | { kind: 'ipset.create'; set: IpSet }
  | { kind: 'ipset.update'; netns: string; name: string; add: string[]; del: string[] }
  | { kind: 'ipset.swap'; set: IpSet }
  | ({ kind: 'chain.create'; chain: string; rules: string[] } & TableRef)
  | ({ kind: 'chain.set'; chain: string; rules: string[] } & TableRef)
  | ({ kind: 'hook.set'; chain: string; remove: string[]; insert: string[]; createChain: boolean } & TableRef)
  | ({ kind: 'chain.delete'; chain: string } & TableRef)
  /** `tc` the device's desired traffic control, `was` what it had (what to remove). */
  | { kind: 'tc.set'; netns: string; tc: DeviceTc; was: DeviceTc }
  | { kind: 'process.start'; process: ManagedProcess }
  | { kind: 'process.reload'; process: ManagedProcess; pid: number; files: ProcessFile[] }
  | { kind: 'process.restart'; process: ManagedProcess; pid?: number }
  | { kind: 'route.del'; route: Route }
  | { kind: 'fdb.del'; entry: FdbEntry }
  | { kind: 'netns.del'; name: string };

export type ChangeKind = Change['kind'];
export type ChangeOf<K extends ChangeKind> = Extract<Change, { kind: K }>;

export const isIptablesChange = (
  c: Change,
): c is ChangeOf<'chain.create'> | ChangeOf<'chain.set'> | ChangeOf<'hook.set'> | ChangeOf<'chain.delete'> =>
  c.kind === 'chain.create' || c.kind === 'chain.set' || c.kind === 'hook.set' || c.kind === 'chain.delete';

/** Something desired that no change can bring about (a missing external device, a clash with a foreign object). */
export interface Unresolved {
  kind: 'link' | 'chain' | 'ipset' | 'netns';
  key: string;
  reason: string;
}
