/**
 * The policy that applies to a port: its own, else its network's — but a port
 * the network owns (device_owner "network:*": router, DHCP, floating IP ports)
 * does not take the network's policy (Neutron's QoS agent extension skips them).
 */
export function effectiveQosPolicyId(
  port: { device_owner: string; qos_policy_id?: string | null },
  network: { qos_policy_id?: string | null } | undefined,
): string | null {
  if (port.qos_policy_id) return port.qos_policy_id;
  if (port.device_owner.startsWith('network:')) return null;
  return network?.qos_policy_id ?? null;
}
