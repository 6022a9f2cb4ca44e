import { personaRefusal, writeAction } from './personas';

const reader = { user_id: 'u', project_id: 'p1', roles: ['reader'] };
const member = { user_id: 'u', project_id: 'p1', roles: ['member', 'reader'] };
const admin = { user_id: 'a', project_id: 'admin', roles: ['admin'] };
const seg = (path: string) => path.split('/');

describe('personas (enforce_new_defaults)', () => {
  it('names the action of each write as Zed does', () => {
    expect(writeAction('POST', seg('networks'))).toBe('create_network');
    expect(writeAction('PUT', seg('security-groups/x'))).toBe('update_security_group');
    expect(writeAction('DELETE', seg('security-group-rules/x'))).toBe('delete_security_group_rule');
    expect(writeAction('POST', seg('rbac-policies'))).toBe('create_rbac_policy');
    expect(writeAction('PUT', seg('routers/x/add_router_interface'))).toBe('add_router_interface');
    expect(writeAction('PUT', seg('routers/x/add_extraroutes'))).toBe('add_extraroutes');
    expect(writeAction('PUT', seg('trunks/x/add_subports'))).toBe('add_subports');
    expect(writeAction('PUT', seg('subnetpools/x/add_prefixes'))).toBe('add_prefixes');
    expect(writeAction('POST', seg('floatingips/x/port_forwardings'))).toBe('create_floatingip_port_forwarding');
    expect(writeAction('DELETE', seg('qos/policies/x/bandwidth_limit_rules/y'))).toBe('delete_policy_bandwidth_limit_rule');
    expect(writeAction('POST', seg('fwaas/firewall_groups'))).toBe('create_firewall_group');
    expect(writeAction('PUT', seg('fw/firewall_policies/x/insert_rule'))).toBe('insert_rule');
    expect(writeAction('POST', seg('vpn/ipsecpolicies'))).toBe('create_ipsecpolicy');
    expect(writeAction('PUT', seg('networks/x/tags/t'))).toBe('tags');
    expect(writeAction('GET', seg('networks'))).toBeNull();
  });

  it('refuses a reader what Zed refuses, with its rule (recorded from Zed with enforce_new_defaults = True)', () => {
    expect(personaRefusal(reader, 'POST', seg('networks'))).toMatchObject({ status: 403, type: 'PolicyNotAuthorized', message: 'rule:create_network is disallowed by policy' });
    expect(personaRefusal(reader, 'DELETE', seg('ports/x'))?.message).toBe('rule:delete_port is disallowed by policy');
    expect(personaRefusal(reader, 'PUT', seg('routers/x/add_router_interface'))?.message).toBe(
      '(((rule:add_router_interface and rule:add_router_interface:ha) and rule:add_router_interface:flavor_id) and rule:add_router_interface:distributed) is disallowed by policy',
    );
    expect(personaRefusal(reader, 'POST', seg('security-group-rules'))?.message).toBe('rule:create_security_group_rule is disallowed by policy');
  });

  it('lets a reader do what Zed leaves to the owner (subnets, tags), and a member or admin everything', () => {
    expect(personaRefusal(reader, 'POST', seg('subnets'))).toBeNull();
    expect(personaRefusal(reader, 'PUT', seg('subnets/x'))).toBeNull();
    expect(personaRefusal(reader, 'PUT', seg('networks/x/tags/t'))).toBeNull();
    expect(personaRefusal(member, 'POST', seg('networks'))).toBeNull();
    expect(personaRefusal(admin, 'DELETE', seg('routers/x'))).toBeNull();
    expect(personaRefusal(reader, 'GET', seg('networks'))).toBeNull();
  });
});
