/**
 * Trunks (Zed's `trunk` extension): every trunk is on the one subject evt.trunk.trunks, because
 * their invariants cross trunks (a port is the parent of one trunk or the subport of one, never
 * both; two trunks that claim one port concurrently meet on that subject and one loses).
 */
import type { Timestamps } from '../model';

export const TRUNK_AGGREGATE_ID = 'trunks';

export interface SubPort {
  port_id: string;
  segmentation_type: 'vlan';
  segmentation_id: number;
}

export interface Trunk extends Timestamps {
  id: string;
  project_id: string;
  tenant_id: string;
  name: string;
  description: string;
  admin_state_up: boolean;
  port_id: string;
  /** DOWN until an agent wires the trunk (none does yet: Zed shows DOWN without an agent too). */
  status: string;
  sub_ports: SubPort[];
  tags: string[];
}

export interface TrunkState {
  trunks: Record<string, Trunk>;
}

export const emptyTrunkState = (): TrunkState => ({ trunks: {} });

/** What the checks need of a port the actor names (undefined: no such port visible to the actor). */
export interface TrunkPortFact {
  id: string;
  project_id: string;
  mac_address: string;
  network_type: string | null;
  network_segmentation_id: number | null;
  /** the MTU of the port's network */
  mtu: number | null;
}

/** The trunk a port takes part in, as parent or as subport. */
export function trunkOfPort(s: TrunkState, portId: string): { trunk: Trunk; role: 'parent' | 'subport' } | undefined {
  for (const t of Object.values(s.trunks)) {
    if (t.port_id === portId) return { trunk: t, role: 'parent' };
    if (t.sub_ports.some((p) => p.port_id === portId)) return { trunk: t, role: 'subport' };
  }
  return undefined;
}
