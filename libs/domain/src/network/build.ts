import type { SegmentData } from '../events';
import type { Network } from '../model';
import type { NetworkCreatePlan } from './validate-create';

/** The network as created, once its segment is reserved (Zed shows revision 1 after the segment binding). */
export function buildNetwork(plan: NetworkCreatePlan, seg: SegmentData, ids: { id: string; now: string }): Network {
  const a = plan.attrs;
  return {
    id: ids.id,
    name: a.name,
    tenant_id: a.tenant_id,
    admin_state_up: a.admin_state_up,
    mtu: a.mtu,
    status: 'ACTIVE',
    subnets: [],
    shared: a.shared,
    'router:external': a['router:external'],
    description: a.description,
    port_security_enabled: a.port_security_enabled,
    qos_policy_id: a.qos_policy_id ?? null,
    tags: a.tags ? [...a.tags] : [],
    created_at: ids.now,
    updated_at: ids.now,
    revision_number: 1,
    project_id: a.project_id,
    'provider:network_type': seg.network_type,
    'provider:physical_network': seg.physical_network,
    'provider:segmentation_id': seg.segmentation_id,
  };
}
