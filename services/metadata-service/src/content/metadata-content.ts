import type { InstanceRecord } from '@neutrino/metadata';
import { EC2_VERSIONS, OPENSTACK_VERSIONS } from './versions';

export interface Content {
  status: number;
  type: string;
  body: string;
}

const TEXT = 'text/plain; charset=utf-8';
const ok = (body: string, type = TEXT): Content => ({ status: 200, type, body });
const list = (items: string[]): Content => ok(items.join('\n'));
export const NOT_FOUND: Content = { status: 404, type: TEXT, body: '404 Not Found\n\nThe resource could not be found.\n' };

const hostnameOf = (r: InstanceRecord) => r.hostname ?? r.name;
const keys = (r: InstanceRecord) => Object.entries(r.public_keys ?? {}).sort(([a], [b]) => a.localeCompare(b));

/** openstack/<version>/meta_data.json as Nova writes it (the parts an instance record holds). */
export function metaDataJson(r: InstanceRecord): Record<string, unknown> {
  const k = keys(r);
  return {
    uuid: r.id,
    name: r.name,
    hostname: hostnameOf(r),
    project_id: r.project_id,
    availability_zone: r.availability_zone ?? 'nova',
    launch_index: r.launch_index ?? 0,
    meta: {},
    devices: [],
    ...(k.length ? { public_keys: Object.fromEntries(k), keys: k.map(([name, data]) => ({ name, type: 'ssh', data })) } : {}),
  };
}

/** The EC2-style meta-data tree: leaf name → value, directory name → its entries. */
function ec2Tree(r: InstanceRecord, sourceIp: string): Record<string, string | Record<string, unknown>> {
  const k = keys(r);
  const localIp = r.fixed_ips?.[0] ?? sourceIp;
  return {
    'ami-launch-index': String(r.launch_index ?? 0),
    hostname: hostnameOf(r),
    'instance-id': r.id,
    'local-hostname': hostnameOf(r),
    'local-ipv4': localIp,
    placement: { 'availability-zone': r.availability_zone ?? 'nova' },
    ...(k.length ? { 'public-keys': Object.fromEntries(k.map(([name, data], i) => [`${i}`, { name, 'openssh-key': data }])) } : {}),
  };
}

function ec2Walk(tree: Record<string, unknown>, parts: string[]): Content {
  let node: unknown = tree;
  for (const p of parts) {
    if (typeof node !== 'object' || node === null || !(p in node)) return NOT_FOUND;
    node = (node as Record<string, unknown>)[p];
  }
  if (typeof node === 'string') return ok(node);
  const entries = Object.entries(node as Record<string, unknown>);
  // EC2 lists public keys as "0=name"; other directories as "name/", leaves as "name"
  if (parts.length === 1 && parts[0] === 'public-keys') return list(entries.map(([i, v]) => `${i}=${(v as { name: string }).name}`));
  return list(entries.filter(([n]) => n !== 'name').map(([n, v]) => (typeof v === 'string' ? n : `${n}/`)));
}

/**
 * What one instance gets for a path (query and repeated or trailing slashes
 * ignored): the OpenStack tree under /openstack, the EC2 tree under /<version>.
 */
export function resolveMetadata(rawPath: string, r: InstanceRecord, sourceIp: string): Content {
  const parts = rawPath.split('?')[0].split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return list(EC2_VERSIONS);
  if (parts[0] === 'openstack') {
    if (parts.length === 1) return list(OPENSTACK_VERSIONS);
    if (!OPENSTACK_VERSIONS.includes(parts[1])) return NOT_FOUND;
    if (parts.length === 2) return list(['meta_data.json', ...(r.user_data !== undefined ? ['user_data'] : [])]);
    if (parts.length > 3) return NOT_FOUND;
    if (parts[2] === 'meta_data.json') return ok(JSON.stringify(metaDataJson(r)), 'application/json');
    if (parts[2] === 'user_data') return r.user_data !== undefined ? ok(r.user_data, 'application/octet-stream') : NOT_FOUND;
    return NOT_FOUND;
  }
  if (!EC2_VERSIONS.includes(parts[0])) return NOT_FOUND;
  if (parts.length === 1) return list(['meta-data/', ...(r.user_data !== undefined ? ['user-data'] : [])]);
  if (parts[1] === 'user-data') return parts.length === 2 && r.user_data !== undefined ? ok(r.user_data, 'application/octet-stream') : NOT_FOUND;
  if (parts[1] === 'meta-data') return ec2Walk(ec2Tree(r, sourceIp), parts.slice(2));
  return NOT_FOUND;
}
