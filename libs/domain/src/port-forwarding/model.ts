/**
 * A floating IP port forwarding (Zed's floating-ip-port-forwarding with -description and
 * -port-ranges): part of its floating IP's aggregate (evt.floatingip.<fip>), so the collisions of
 * one floating IP's external ports are decided on one subject. Ports are kept as Zed's ranges
 * `start:end`; a single port is `p:p`.
 */
export interface PortForwarding {
  id: string;
  floatingip_id: string;
  project_id: string;
  protocol: string;
  internal_port_id: string;
  internal_ip_address: string;
  internal_port_range: string;
  external_port_range: string;
  description: string;
}
