import type { InstanceMetadata } from './instance';
import type { NeutronPort } from './neutron-client';
import type { InstanceRecord } from './state';

/**
 * What Nova would hold for a booted instance, registered with the metadata
 * service (POST /instances): id = the port's device_id, its name, the port's
 * project, its fixed IPv4 addresses, and the user data and keys given at boot.
 */
export async function registerInstance(metadataUrl: string, rec: InstanceRecord, port: NeutronPort, md: InstanceMetadata = {}): Promise<void> {
  const p = port as NeutronPort & { project_id?: string; tenant_id?: string };
  const instance = {
    id: rec.deviceId,
    name: rec.name,
    project_id: p.project_id ?? p.tenant_id,
    fixed_ips: rec.fixedIps.map((f) => f.ip_address).filter((ip) => !ip.includes(':')),
    ...(md.hostname ? { hostname: md.hostname } : {}),
    ...(md.userData !== undefined ? { user_data: md.userData } : {}),
    ...(md.publicKeys ? { public_keys: md.publicKeys } : {}),
  };
  const res = await fetch(`${metadataUrl.replace(/\/+$/, '')}/instances`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ instance }) });
  if (!res.ok) throw new Error(`registering ${rec.name} with the metadata service: ${res.status} ${await res.text()}`);
}
