/** Zed's default port policies (new defaults OR the deprecated ones, as Zed evaluates them). */
import { isTrustedOwner } from '@neutrino/naming';
import type { Actor } from '../actor';
import type { RuleTable } from '../common/policy';
import type { Network } from '../model';
import { sharedWith } from '../rbac/network-rbac';

export function portRules(actor: Actor, portProject: unknown, deviceOwner: unknown, network: Network): RuleTable {
  const netOwner = () => network.tenant_id === actor.project_id;
  const shared = () => sharedWith(network, actor.project_id);
  const owner = () => portProject === actor.project_id;
  const networkDevice = () => typeof deviceOwner === 'string' && isTrustedOwner(deviceOwner);
  const no = () => false;
  const yes = () => true;
  const rules: RuleTable = {
    create_port: yes,
    'create_port:device_owner': () => !networkDevice() || netOwner(),
    'create_port:mac_address': netOwner,
    'create_port:fixed_ips': () => netOwner() || shared(),
    'create_port:fixed_ips:ip_address': netOwner,
    'create_port:fixed_ips:subnet_id': () => netOwner() || shared(),
    'create_port:port_security_enabled': netOwner,
    'create_port:binding:host_id': no,
    'create_port:binding:profile': no,
    'create_port:binding:vnic_type': yes,
    'create_port:allowed_address_pairs': netOwner,
    'create_port:allowed_address_pairs:mac_address': netOwner,
    'create_port:allowed_address_pairs:ip_address': netOwner,
    update_port: owner,
    'update_port:device_owner': () => !networkDevice() || netOwner(),
    'update_port:mac_address': no,
    'update_port:fixed_ips': netOwner,
    'update_port:fixed_ips:ip_address': netOwner,
    'update_port:fixed_ips:subnet_id': () => netOwner() || shared(),
    'update_port:port_security_enabled': netOwner,
    'update_port:binding:host_id': no,
    'update_port:binding:profile': no,
    'update_port:binding:vnic_type': owner,
    'update_port:allowed_address_pairs': netOwner,
    'update_port:allowed_address_pairs:mac_address': netOwner,
    'update_port:allowed_address_pairs:ip_address': netOwner,
  };
  return rules;
}
