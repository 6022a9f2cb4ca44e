import type { PortForwarding } from './model';
import { singlePort } from './ranges';

/**
 * A port forwarding as Zed shows it. `written`: the answer of a create or update (Zed shows
 * the single ports of a range forwarding as null there; a list or show leaves them out).
 */
export function presentPortForwarding(pf: PortForwarding, written = false): Record<string, unknown> {
  const external = singlePort(pf.external_port_range);
  const internal = singlePort(pf.internal_port_range);
  const out: Record<string, unknown> = {
    id: pf.id,
    external_port: external,
    external_port_range: pf.external_port_range,
    protocol: pf.protocol,
    internal_port_id: pf.internal_port_id,
    internal_ip_address: pf.internal_ip_address,
    internal_port: internal,
    internal_port_range: pf.internal_port_range,
    description: pf.description,
  };
  if (!written) {
    if (external === null) delete out.external_port;
    if (internal === null) delete out.internal_port;
  }
  return out;
}

/** The `port_forwardings` of a floating IP (expose-port-forwarding-in-fip). */
export const presentFipPortForwarding = (pf: PortForwarding): Record<string, unknown> => ({
  id: pf.id,
  protocol: pf.protocol,
  internal_ip_address: pf.internal_ip_address,
  internal_port_id: pf.internal_port_id,
  internal_port: singlePort(pf.internal_port_range),
  external_port: singlePort(pf.external_port_range),
});
