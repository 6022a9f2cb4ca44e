import type { Actor } from '../actor';
import { hasRole, RuleTable } from '../common/policy';
import type { Network } from '../model';

/** create/update_subnet: admin, a member of the subnet's project, or the network's owner. */
export function subnetRules(actor: Actor, subnetProject: unknown, network: Network): RuleTable {
  const allowed = () =>
    (hasRole(actor, 'member') && subnetProject === actor.project_id) || network.tenant_id === actor.project_id;
  return { create_subnet: allowed, update_subnet: allowed };
}
