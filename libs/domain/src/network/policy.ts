/** Zed's default network policies (new defaults OR the deprecated ones, as Zed evaluates them). */
import type { Actor } from '../actor';
import type { RuleTable } from '../common/policy';

export function networkRules(actor: Actor, owner: unknown): RuleTable {
  const isOwner = () => owner === actor.project_id;
  const no = () => false;
  return {
    create_network: () => true,
    'create_network:shared': no,
    'create_network:router:external': no,
    'create_network:port_security_enabled': () => true,
    'create_network:provider:network_type': no,
    'create_network:provider:physical_network': no,
    'create_network:provider:segmentation_id': no,
    update_network: isOwner,
    'update_network:shared': no,
    'update_network:router:external': no,
    'update_network:port_security_enabled': isOwner,
    'update_network:provider:network_type': no,
    'update_network:provider:physical_network': no,
    'update_network:provider:segmentation_id': no,
  };
}
