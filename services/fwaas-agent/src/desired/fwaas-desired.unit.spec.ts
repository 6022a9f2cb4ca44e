import { emptyFirewallState, type FirewallGroup } from '@neutrino/domain';
import { FwaasView } from '../view/fwaas-view';
import { routerFirewalls } from './fwaas-desired';

const R1 = '11111111-1111-4111-8111-111111111111';
const R2 = '22222222-2222-4222-8222-222222222222';
const group = (g: Partial<FirewallGroup>): FirewallGroup => ({
  id: 'a4040d8b-6d9b-4904-afb6-6c164f55176e', project_id: 'p', tenant_id: 'p', name: '', description: '', shared: false, created_at: '', updated_at: '', revision_number: 0,
  ingress_firewall_policy_id: 'pol', egress_firewall_policy_id: 'pol', admin_state_up: true, ports: [], status: 'PENDING_CREATE', is_default: false, config_version: 1, ...g,
});

describe('which qr- devices a firewall filters in each router', () => {
  const view = () => {
    const v = new FwaasView('network1');
    v.firewall = { ...emptyFirewallState(), policies: { pol: { id: 'pol', project_id: 'p', tenant_id: 'p', name: '', description: '', shared: false, created_at: '', updated_at: '', revision_number: 0, firewall_rules: [], audited: false } } };
    for (const r of [R1, R2]) v.scheduled.set(r, ['network1']);
    v.interfaces.set('aaaaaaaa-0000-4000-8000-000000000001', R1);
    v.interfaces.set('bbbbbbbb-0000-4000-8000-000000000002', R2);
    return v;
  };

  it('a v1 firewall: every interface of its routers (qr-+), nothing in the others', () => {
    const v = view();
    v.firewall.groups = { fw: group({ router_ids: [R1] }) };
    const byRouter = Object.fromEntries(routerFirewalls(v, '').map((r) => [r.routerId, r.groups.map((g) => g.devices)]));
    expect(byRouter).toEqual({ [R1]: [['qr-+']], [R2]: [] });
  });

  it('a v2 group: only its ports\' qr- devices', () => {
    const v = view();
    v.firewall.groups = { g: group({ ports: ['bbbbbbbb-0000-4000-8000-000000000002'] }) };
    const byRouter = Object.fromEntries(routerFirewalls(v, '').map((r) => [r.routerId, r.groups.map((g) => g.devices)]));
    expect(byRouter).toEqual({ [R1]: [], [R2]: [['qr-bbbbbbbb-00']] });
  });
});
