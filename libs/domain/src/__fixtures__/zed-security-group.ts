/**
 * Test support for zed-security-group.json (made by record-zed-sg.mjs): the
 * recorded cases, who sent them, and the groups as they were before each one.
 */
import type { Actor } from '../actor';
import type { SecurityGroup, SecurityGroupRule } from '../model';
import zed from './zed-security-group.json';

export interface SgCase {
  request: { as: string; method: string; path: string; body?: any };
  /** Project id → that project's groups (keys into `groups`), as an admin listed them just before the request. */
  before: Record<string, string[]>;
  response: { status: number; body: any };
}

interface SgFile {
  actors: Record<string, { project_id: string; roles: string[] }>;
  setup: Record<string, any>;
  cases: Record<string, SgCase>;
  /** "<id>@<revision>" → the group as Zed showed it. */
  groups: Record<string, any>;
}

export const SG = zed as unknown as SgFile;
export const sgCases = (pred: (c: SgCase, name: string) => boolean): Array<[string, SgCase]> =>
  Object.entries(SG.cases).filter(([name, c]) => pred(c, name));
export const sgActor = (c: SgCase): Actor => ({ user_id: null, ...SG.actors[c.request.as] });

const pick = <T>(src: Record<string, any>, keys: Array<keyof T>): T =>
  Object.fromEntries(keys.map((k) => [k, structuredClone(src[k as string])])) as T;

export const toRule = (r: Record<string, any>): SecurityGroupRule =>
  pick<SecurityGroupRule>(r, [
    'id', 'tenant_id', 'project_id', 'security_group_id', 'direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max',
    'remote_ip_prefix', 'remote_group_id', 'description', 'created_at', 'updated_at', 'revision_number',
  ]);

export const toSecurityGroup = (g: Record<string, any>): SecurityGroup => ({
  ...pick<SecurityGroup>(g, ['id', 'name', 'description', 'tenant_id', 'project_id', 'tags', 'created_at', 'updated_at', 'revision_number']),
  security_group_rules: g.security_group_rules.map(toRule),
});

/** A project's groups (Zed's JSON) as they were before the case. */
export const beforeOf = (c: SgCase, project: string): any[] => c.before[project].map((key) => SG.groups[key]);
/** Every group of the recorded projects as it was before the case. */
export const groupsBefore = (c: SgCase): SecurityGroup[] => Object.keys(c.before).flatMap((p) => beforeOf(c, p)).map(toSecurityGroup);
export const finder = (c: SgCase) => {
  const groups = groupsBefore(c);
  return (id: string) => groups.find((g) => g.id === id);
};

/** What Zed shows that Neutrino leaves out (rbac-security-groups, standard_attr_id). */
export function withoutOmittedSg(o: Record<string, any>): Record<string, any> {
  const rest = { ...o };
  for (const key of ['shared', 'standard_attr_id']) delete rest[key];
  if (Array.isArray(rest.security_group_rules)) rest.security_group_rules = rest.security_group_rules.map(withoutOmittedSg);
  return rest;
}

/** The error Zed answered: status, NeutronError.type and message. */
export const sgError = (c: SgCase) => ({
  status: c.response.status,
  type: c.response.body.NeutronError.type as string,
  message: c.response.body.NeutronError.message as string,
});
