/**
 * Benchmarks make thousands of resources in one project, far above Neutron's
 * default quotas: they run with limits high enough never to be reached, not
 * with -1, so every create still claims its quota as it does in production.
 */
export const SCALE_QUOTAS: NodeJS.ProcessEnv = Object.fromEntries(
  ['NETWORK', 'SUBNET', 'PORT', 'ROUTER', 'FLOATINGIP', 'SECURITY_GROUP', 'SECURITY_GROUP_RULE'].map((k) => [`NEUTRINO_QUOTA_${k}`, '10000000']),
);
