import { SuiteFixture, member, openstack, openstackCli } from '@neutrino/testing-suite';

const openstackPath = openstackCli('the security group CLI test');
const itWithCli = openstackPath ? it : it.skip;

const alice = member('sg-alice');
const bob = member('sg-bob');
const NONE = '11111111-2222-3333-4444-555555555555';
const shape = (r: any) => ({ direction: r.direction, ethertype: r.ethertype, protocol: r.protocol, remote_ip_prefix: r.remote_ip_prefix, remote_group_id: r.remote_group_id });
const byShape = (a: any, b: any) => JSON.stringify(shape(a)).localeCompare(JSON.stringify(shape(b)));

/** Security groups and rules through the API: the default group, validation, duplicates, visibility, ports, the CLI. */
describe('security groups', () => {
  let fx: SuiteFixture;
  let netId: string;
  beforeAll(async () => {
    fx = await SuiteFixture.start();
    const net = await fx.api('POST', '/v2.0/networks', { network: { name: 'sg-net' } }, alice);
    netId = net.body.network.id;
    await fx.api('POST', '/v2.0/subnets', { subnet: { network_id: netId, cidr: '10.50.0.0/24', ip_version: 4 } }, alice);
  });
  afterAll(async () => {
    await fx?.stop();
  });

  it('makes each project one default group on first use, with Zed four rules, even under concurrent first requests', async () => {
    const lists = await Promise.all([1, 2, 3].map(() => fx.api('GET', '/v2.0/security-groups', undefined, alice)));
    for (const l of lists) expect(l.status).toBe(200);
    const groups = (await fx.api('GET', '/v2.0/security-groups', undefined, alice)).body.security_groups;
    expect(groups).toHaveLength(1);
    const [def] = groups;
    expect(def).toMatchObject({ name: 'default', description: 'Default security group', tenant_id: 'sg-alice', project_id: 'sg-alice', revision_number: 1 });
    expect(def.security_group_rules.map(shape).sort(byShape)).toEqual(
      [
        { direction: 'egress', ethertype: 'IPv4', protocol: null, remote_ip_prefix: null, remote_group_id: null },
        { direction: 'egress', ethertype: 'IPv6', protocol: null, remote_ip_prefix: null, remote_group_id: null },
        { direction: 'ingress', ethertype: 'IPv4', protocol: null, remote_ip_prefix: null, remote_group_id: def.id },
        { direction: 'ingress', ethertype: 'IPv6', protocol: null, remote_ip_prefix: null, remote_group_id: def.id },
      ].sort(byShape),
    );
    const rules = (await fx.api('GET', `/v2.0/security-group-rules?security_group_id=${def.id}`, undefined, alice)).body.security_group_rules;
    expect(rules.map((r: any) => r.id).sort()).toEqual(def.security_group_rules.map((r: any) => r.id).sort());
    const created = (await fx.store.readSubject(`evt.security_group.${def.id}`)).map((e: { type: string }) => e.type);
    expect(created).toEqual(['security_group.created']);

    const renamed = await fx.api('PUT', `/v2.0/security-groups/${def.id}`, { security_group: { name: 'mine' } }, alice);
    expect(renamed.status).toBe(409);
    expect(renamed.body.NeutronError).toMatchObject({ type: 'SecurityGroupCannotUpdateDefault', message: 'Updating default security group not allowed.' });
    const removed = await fx.api('DELETE', `/v2.0/security-groups/${def.id}`, undefined, alice);
    expect(removed.body.NeutronError).toMatchObject({ type: 'SecurityGroupCannotRemoveDefault' });
    const another = await fx.api('POST', '/v2.0/security-groups', { security_group: { name: 'Default' } }, alice);
    expect(another.status).toBe(409);
    expect(another.body.NeutronError.type).toBe('SecurityGroupDefaultAlreadyExists');
  });

  it('lets an admin delete a default group, which the next use makes again on the same subject', async () => {
    const carol = member('sg-carol');
    const [first] = (await fx.api('GET', '/v2.0/security-groups', undefined, carol)).body.security_groups;
    expect((await fx.api('DELETE', `/v2.0/security-groups/${first.id}`)).status).toBe(204);
    const [again] = (await fx.api('GET', '/v2.0/security-groups', undefined, carol)).body.security_groups;
    expect(again).toMatchObject({ id: first.id, name: 'default' });
    expect(again.security_group_rules.map((r: any) => r.id)).not.toEqual(expect.arrayContaining([first.security_group_rules[0].id]));
    const types = (await fx.store.readSubject(`evt.security_group.${first.id}`)).map((e: { type: string }) => e.type);
    expect(types).toEqual(['security_group.created', 'security_group.deleted', 'security_group.created']);
  });

  it('gives a new group two egress rules and lets its name and description change', async () => {
    const web = await fx.api('POST', '/v2.0/security-groups', { security_group: { name: 'web', description: 'web servers' } }, alice);
    expect(web.status).toBe(201);
    expect(web.body.security_group.security_group_rules.map(shape).sort(byShape)).toEqual([
      { direction: 'egress', ethertype: 'IPv4', protocol: null, remote_ip_prefix: null, remote_group_id: null },
      { direction: 'egress', ethertype: 'IPv6', protocol: null, remote_ip_prefix: null, remote_group_id: null },
    ]);
    const set = await fx.api('PUT', `/v2.0/security-groups/${web.body.security_group.id}`, { security_group: { name: 'www', description: 'd' } }, alice);
    expect(set.body.security_group).toMatchObject({ name: 'www', description: 'd', revision_number: 2 });
  });

  describe('rule validation: Zed errors, nothing appended', () => {
    let groupId = '';
    let bobGroup = '';
    beforeAll(async () => {
      groupId = (await fx.api('POST', '/v2.0/security-groups', { security_group: { name: 'checks' } }, alice)).body.security_group.id;
      bobGroup = (await fx.api('POST', '/v2.0/security-groups', { security_group: { name: 'bobs' } }, bob)).body.security_group.id;
    });
    const rule = (more: Record<string, unknown>) => ({ security_group_rule: { security_group_id: groupId, direction: 'ingress', ...more } });
    const cases: Array<[string, () => Record<string, unknown>, number, string, RegExp]> = [
      ['unknown protocol', () => rule({ protocol: 'foo' }), 400, 'SecurityGroupRuleInvalidProtocol', /protocol foo not supported/],
      ['protocol number out of range', () => rule({ protocol: 256 }), 400, 'SecurityGroupRuleInvalidProtocol', /integer representations \[0 to 255\]/],
      ['ports without a protocol', () => rule({ port_range_min: 22, port_range_max: 22 }), 400, 'SecurityGroupProtocolRequiredWithPorts', /Must also specify protocol/],
      ['port 0', () => rule({ protocol: 'tcp', port_range_min: 0, port_range_max: 22 }), 400, 'SecurityGroupInvalidPortValue', /^Invalid value for port 0$/],
      ['port above 65535', () => rule({ protocol: 'udp', port_range_min: 1, port_range_max: 65536 }), 400, 'SecurityGroupInvalidPortValue', /port 65536/],
      ['min above max', () => rule({ protocol: 'tcp', port_range_min: 90, port_range_max: 80 }), 400, 'SecurityGroupInvalidPortRange', /port_range_min must be <= port_range_max/],
      ['ports on GRE', () => rule({ protocol: 'gre', port_range_min: 1, port_range_max: 2 }), 400, 'SecurityGroupInvalidProtocolForPort', /protocol 47/],
      ['ICMP type above 255', () => rule({ protocol: 'icmp', port_range_min: 256 }), 400, 'SecurityGroupInvalidIcmpValue', /ICMP type \(port_range_min\) 256/],
      ['ICMP code without type', () => rule({ protocol: 'icmp', port_range_max: 0 }), 400, 'SecurityGroupMissingIcmpType', /ICMP code \(port-range-max\) 0/],
      ['IPv6 rule with an IPv4 prefix', () => rule({ ethertype: 'IPv6', remote_ip_prefix: '10.0.0.0/8' }), 400, 'SecurityGroupRuleParameterConflict', /Conflicting value ethertype IPv6 for CIDR 10.0.0.0\/8/],
      ['IPv6 ICMP on IPv4', () => rule({ protocol: 'ipv6-icmp' }), 400, 'SecurityGroupEthertypeConflictWithProtocol', /Invalid ethertype IPv4/],
      ['remote group and prefix', () => rule({ remote_group_id: groupId, remote_ip_prefix: '10.0.0.0/8' }), 400, 'SecurityGroupMultipleRemoteEntites', /Only one of remote_ip_prefix or remote_group_id/],
      ['a remote group that does not exist', () => rule({ remote_group_id: NONE }), 404, 'SecurityGroupNotFound', /does not exist/],
      ["another project's remote group", () => rule({ remote_group_id: bobGroup }), 404, 'SecurityGroupNotFound', new RegExp(bobGroup)],
      ["another project's group", () => rule({ security_group_id: bobGroup }), 404, 'SecurityGroupNotFound', new RegExp(bobGroup)],
      ['a bad prefix', () => rule({ remote_ip_prefix: '10.0.0.300/8' }), 400, 'InvalidCIDR', /Invalid CIDR 10.0.0.300\/8 given as IP prefix/],
      ['a bad direction', () => rule({ direction: 'inbound' }), 400, 'HTTPBadRequest', /inbound is not in valid_values/],
      ['a duplicate of a default egress rule', () => rule({ direction: 'egress', ethertype: 'IPv6' }), 409, 'SecurityGroupRuleExists', /Rule id is [0-9a-f-]{36}/],
    ];
    it.each(cases)('%s', async (_name, body, status, type, message) => {
      const before = await fx.store.lastSeq();
      const answer = await fx.api('POST', '/v2.0/security-group-rules', body(), alice);
      expect({ status: answer.status, type: answer.body?.NeutronError?.type }).toEqual({ status, type });
      expect(answer.body.NeutronError.message).toMatch(message);
      expect(await fx.store.lastSeq()).toBe(before);
    });

    it('refuses duplicates the way Zed compares rules (protocol names and numbers, 0.0.0.0/0 as no prefix)', async () => {
      const ssh = await fx.api('POST', '/v2.0/security-group-rules', rule({ protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' }), alice);
      expect(ssh.status).toBe(201);
      expect(ssh.body.security_group_rule).toMatchObject({ protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0', normalized_cidr: '0.0.0.0/0', description: '' });
      const before = await fx.store.lastSeq();
      for (const dup of [{ protocol: '6' }, { protocol: 'TCP', remote_ip_prefix: null }, { protocol: 'tcp', ethertype: 'ipv4' }]) {
        const again = await fx.api('POST', '/v2.0/security-group-rules', rule({ port_range_min: 22, port_range_max: '22', remote_ip_prefix: '0.0.0.0/0', ...dup }), alice);
        expect(again.status).toBe(409);
        expect(again.body.NeutronError.message).toBe(`Security group rule already exists. Rule id is ${ssh.body.security_group_rule.id}.`);
      }
      const bulkDup = await fx.api('POST', '/v2.0/security-group-rules', { security_group_rules: [
        { security_group_id: groupId, direction: 'ingress', protocol: 'udp', port_range_min: 53, port_range_max: 53 },
        { security_group_id: groupId, direction: 'ingress', protocol: '17', port_range_min: 53, port_range_max: 53 },
      ] }, alice);
      expect(bulkDup.body.NeutronError.type).toBe('DuplicateSecurityGroupRuleInPost');
      expect(await fx.store.lastSeq()).toBe(before);
    });

    it('serializes concurrent identical rules on the group subject: exactly one is created', async () => {
      const body = rule({ protocol: 'tcp', port_range_min: 443, port_range_max: 443 });
      const answers = await Promise.all([1, 2, 3, 4].map(() => fx.api('POST', '/v2.0/security-group-rules', body, alice)));
      expect(answers.map((a: { status: number }) => a.status).sort()).toEqual([201, 409, 409, 409]);
    });

    it('creates rules in bulk, shows and deletes them by their own URL, and revises the group', async () => {
      const g0 = (await fx.api('GET', `/v2.0/security-groups/${groupId}`, undefined, alice)).body.security_group;
      const bulk = await fx.api('POST', '/v2.0/security-group-rules', { security_group_rules: [
        { security_group_id: groupId, direction: 'ingress', protocol: 'icmp', port_range_min: 8, port_range_max: 0 },
        { security_group_id: groupId, direction: 'ingress', protocol: 'icmp', ethertype: 'IPv6', remote_ip_prefix: '2001:DB8::1/64' },
      ] }, alice);
      expect(bulk.status).toBe(201);
      const [echo, v6] = bulk.body.security_group_rules;
      expect(v6).toMatchObject({ protocol: 'ipv6-icmp', remote_ip_prefix: '2001:db8::1/64', normalized_cidr: '2001:db8::/64' });
      expect((await fx.api('GET', `/v2.0/security-group-rules/${echo.id}`, undefined, alice)).body.security_group_rule).toMatchObject({ id: echo.id, port_range_min: 8 });
      expect(await fx.api('GET', `/v2.0/security-group-rules/${echo.id}`, undefined, bob)).toMatchObject({ status: 404, body: { NeutronError: { type: 'HTTPNotFound' } } });
      expect((await fx.api('DELETE', `/v2.0/security-group-rules/${echo.id}`, undefined, bob)).status).toBe(404);
      expect((await fx.api('PUT', `/v2.0/security-group-rules/${echo.id}`, { security_group_rule: { protocol: 'udp' } }, alice)).body.NeutronError.message)
        .toBe('Cannot update read-only attribute protocol');
      expect((await fx.api('DELETE', `/v2.0/security-group-rules/${echo.id}`, undefined, alice)).status).toBe(204);
      expect((await fx.api('GET', `/v2.0/security-group-rules/${echo.id}`, undefined, alice)).body.NeutronError.type).toBe('SecurityGroupRuleNotFound');
      const g1 = (await fx.api('GET', `/v2.0/security-groups/${groupId}`, undefined, alice)).body.security_group;
      expect(g1.revision_number).toBe(g0.revision_number + 3);
      expect(g1.security_group_rules.map((r: any) => r.id)).toContain(v6.id);
      expect(g1.security_group_rules.map((r: any) => r.id)).not.toContain(echo.id);
      const types = (await fx.store.readSubject(`evt.security_group.${groupId}`)).map((e: { type: string }) => e.type);
      expect(types.slice(-3)).toEqual(['security_group.rule_added', 'security_group.rule_added', 'security_group.rule_removed']);
    });

    it("hides other projects' groups; an admin sees them all", async () => {
      expect(await fx.api('GET', `/v2.0/security-groups/${bobGroup}`, undefined, alice)).toMatchObject({ status: 404, body: { NeutronError: { type: 'SecurityGroupNotFound' } } });
      expect((await fx.api('PUT', `/v2.0/security-groups/${bobGroup}`, { security_group: { name: 'x' } }, alice)).status).toBe(404);
      expect((await fx.api('DELETE', `/v2.0/security-groups/${bobGroup}`, undefined, alice)).status).toBe(404);
      const mine = (await fx.api('GET', '/v2.0/security-groups', undefined, alice)).body.security_groups;
      expect(mine.every((g: any) => g.project_id === 'sg-alice')).toBe(true);
      const all = (await fx.api('GET', '/v2.0/security-groups?fields=id&fields=project_id')).body.security_groups;
      expect(all.map((g: any) => g.id)).toEqual(expect.arrayContaining([bobGroup, groupId]));
      expect(Object.keys(all[0]).sort()).toEqual(['id', 'project_id']);
    });
  });

  it('gives ports the default group, checks given groups, and refuses to delete a group in use', async () => {
    const groups = (await fx.api('GET', '/v2.0/security-groups?name=default', undefined, alice)).body.security_groups;
    const def = groups[0].id;
    const plain = await fx.api('POST', '/v2.0/ports', { port: { network_id: netId } }, alice);
    expect(plain.body.port).toMatchObject({ security_groups: [def], port_security_enabled: true });
    expect((await fx.api('POST', '/v2.0/ports', { port: { network_id: netId, port_security_enabled: false } }, alice)).body.port.security_groups).toEqual([]);
    expect((await fx.api('POST', '/v2.0/ports', { port: { network_id: netId, security_groups: [] } }, alice)).body.port.security_groups).toEqual([]);
    const dhcp = await fx.api('POST', '/v2.0/ports', { port: { network_id: netId, device_owner: 'network:dhcp' } }, alice);
    expect(dhcp.body.port).toMatchObject({ security_groups: [], port_security_enabled: false });

    const app = (await fx.api('POST', '/v2.0/security-groups', { security_group: { name: 'app' } }, alice)).body.security_group.id;
    const bobs = (await fx.api('POST', '/v2.0/security-groups', { security_group: { name: 'bob-app' } }, bob)).body.security_group.id;
    const before = await fx.store.lastSeq();
    const foreign = await fx.api('POST', '/v2.0/ports', { port: { network_id: netId, security_groups: [bobs] } }, alice);
    expect(foreign.body.NeutronError).toMatchObject({ type: 'SecurityGroupNotFound', message: `Security group ${bobs} does not exist` });
    const noSecurity = await fx.api('POST', '/v2.0/ports', { port: { network_id: netId, security_groups: [app], port_security_enabled: false } }, alice);
    expect(noSecurity.body.NeutronError.type).toBe('PortSecurityAndIPRequiredForSecurityGroups');
    expect(await fx.store.lastSeq()).toBe(before);

    const withApp = await fx.api('POST', '/v2.0/ports', { port: { network_id: netId, security_groups: [app] } }, alice);
    expect(withApp.body.port.security_groups).toEqual([app]);
    const inUse = await fx.api('DELETE', `/v2.0/security-groups/${app}`, undefined, alice);
    expect(inUse).toMatchObject({ status: 409, body: { NeutronError: { type: 'SecurityGroupInUse', message: `Security Group ${app} in use.` } } });
    const disable = await fx.api('PUT', `/v2.0/ports/${withApp.body.port.id}`, { port: { port_security_enabled: false } }, alice);
    expect(disable.body.NeutronError.type).toBe('PortSecurityPortHasSecurityGroup');
    const missing = await fx.api('PUT', `/v2.0/ports/${withApp.body.port.id}`, { port: { security_groups: [NONE] } }, alice);
    expect(missing.body.NeutronError.type).toBe('SecurityGroupNotFound');
    const cleared = await fx.api('PUT', `/v2.0/ports/${withApp.body.port.id}`, { port: { security_groups: [] } }, alice);
    expect(cleared.body.port.security_groups).toEqual([]);
    expect((await fx.api('DELETE', `/v2.0/security-groups/${app}`, undefined, alice)).status).toBe(204);
    expect((await fx.api('GET', `/v2.0/security-group-rules?security_group_id=${app}`, undefined, alice)).body.security_group_rules).toEqual([]);
  });

  it('lists security-group among the extensions', async () => {
    const ext = (await fx.api('GET', '/v2.0/extensions/security-group')).body.extension;
    expect(ext).toEqual({ name: 'security-group', alias: 'security-group', description: 'The security groups extension.', updated: '2012-10-05T10:00:00-00:00', links: [] });
  });

  itWithCli('works with the openstack command-line client', async () => {
    const os = async (...args: string[]) =>
      openstack(fx.suite.apiUrl, ...args);
    const json = async (...args: string[]) => JSON.parse(await os(...args, '-f', 'json'));

    const sg = await json('security', 'group', 'create', '--description', 'ssh in', 'cli-ssh');
    expect(sg).toMatchObject({ name: 'cli-ssh', description: 'ssh in' });
    const rule = await json('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22', '--remote-ip', '0.0.0.0/0', 'cli-ssh');
    expect(rule).toMatchObject({ protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0', direction: 'ingress', ether_type: 'IPv4' });
    const rules = await json('security', 'group', 'rule', 'list', 'cli-ssh');
    expect(rules.map((r: any) => r['Port Range']).sort()).toEqual(['', '', '22:22']);
    await expect(os('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22', '--remote-ip', '0.0.0.0/0', 'cli-ssh')).rejects.toThrow(/already exists/);

    await os('security', 'group', 'set', '--name', 'cli-ssh2', '--description', 'ssh', 'cli-ssh');
    expect(await json('security', 'group', 'show', 'cli-ssh2')).toMatchObject({ id: sg.id, name: 'cli-ssh2', description: 'ssh' });
    expect((await json('security', 'group', 'list')).map((g: any) => g.Name)).toEqual(expect.arrayContaining(['default', 'cli-ssh2']));

    await os('network', 'create', 'cli-net');
    await os('subnet', 'create', '--network', 'cli-net', '--subnet-range', '10.51.0.0/24', 'cli-sub');
    const port = await json('port', 'create', '--network', 'cli-net', '--security-group', 'cli-ssh2', 'cli-port');
    expect(JSON.stringify(port.security_group_ids)).toContain(sg.id);
    await expect(os('security', 'group', 'delete', 'cli-ssh2')).rejects.toThrow(/in use/);
    await os('port', 'set', '--no-security-group', 'cli-port');
    expect((await json('port', 'show', 'cli-port')).security_group_ids).toEqual([]);

    await os('security', 'group', 'rule', 'delete', rule.id);
    expect(await json('security', 'group', 'rule', 'list', 'cli-ssh2')).toHaveLength(2);
    await os('security', 'group', 'delete', 'cli-ssh2');
    expect((await json('security', 'group', 'list')).map((g: any) => g.Name)).not.toContain('cli-ssh2');
  });
});
