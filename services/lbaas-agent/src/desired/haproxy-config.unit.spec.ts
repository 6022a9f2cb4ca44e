import { LISTENER_ID, MEMBER_IDS, POOL_ID, listener, member, monitor, pool, specTree } from '../__fixtures__/tree';
import { expectedCodesPattern, renderHaproxyConfig } from './haproxy-config';

/** spec/lbaas.md §4, verbatim. */
const GOLDEN = `global
  daemon
  user nobody
  group nogroup
  log /dev/log local0
  log /dev/log local1 notice
  stats socket /var/lib/neutron/lbaas/3f314bd2-9fdf-4397-8f1c-ee530a1ed134/sock mode 0666 level user
defaults
  log global
  retries 3
  option redispatch
  timeout connect 5000
  timeout client 50000
  timeout server 50000
frontend ec4df104-403c-4da2-988e-5a6b794290fe
  option tcplog
  bind 10.30.0.9:80
  mode http
  default_backend 3f314bd2-9fdf-4397-8f1c-ee530a1ed134
  option forwardfor
backend 3f314bd2-9fdf-4397-8f1c-ee530a1ed134
  mode http
  balance roundrobin
  option forwardfor
  timeout check 4s
  server cb51bd34-0be6-4044-8f89-a61d2d75cb07 10.30.0.7:80 weight 1 check inter 5s fall 3
  server a0bd5575-3675-4004-9c6f-b9e9d0e3cedd 10.30.0.8:80 weight 1 check inter 5s fall 3
`;

const cfg = { dir: `/var/lib/neutron/lbaas/${POOL_ID}`, userGroup: 'nogroup' };
const render = (over: Parameters<typeof specTree>[0] = {}) => renderHaproxyConfig(specTree(over), cfg);
const backendOf = (text: string) => text.slice(text.indexOf('backend '));

describe('renderHaproxyConfig', () => {
  it("renders the spec's golden form for its example", () => {
    expect(render()).toBe(GOLDEN);
  });

  it('names the configured group and the socket in the given directory', () => {
    const text = renderHaproxyConfig(specTree(), { dir: '/d/lbaas/v2/x', userGroup: 'haproxy' });
    expect(text).toContain('\n  group haproxy\n');
    expect(text).toContain('\n  stats socket /d/lbaas/v2/x/sock mode 0666 level user\n');
  });

  it('maps the algorithms', () => {
    expect(backendOf(render({ pools: [pool({ lb_algorithm: 'LEAST_CONNECTIONS' })] }))).toContain('\n  balance leastconn\n');
    expect(backendOf(render({ pools: [pool({ lb_algorithm: 'SOURCE_IP' })] }))).toContain('\n  balance source\n');
  });

  it('TCP and HTTPS listeners and pools are mode tcp, without forwardfor', () => {
    const text = render({ listeners: [listener({ protocol: 'TCP' })], pools: [pool({ protocol: 'TCP' })] });
    expect(text).not.toContain('forwardfor');
    expect(text.match(/mode tcp/g)).toHaveLength(2);
    expect(render({ listeners: [listener({ protocol: 'HTTPS' })], pools: [pool({ protocol: 'HTTPS' })] }).match(/mode tcp/g)).toHaveLength(2);
  });

  it('writes maxconn after default_backend when connection_limit >= 0', () => {
    expect(render({ listeners: [listener({ connection_limit: 100 })] })).toContain(`  default_backend ${POOL_ID}\n  maxconn 100\n  option forwardfor\n`);
    expect(render({ listeners: [listener({ connection_limit: 0 })] })).toContain('  maxconn 0\n');
  });

  it("writes the listener's timeouts that differ from the defaults", () => {
    const text = render({ listeners: [listener({ timeout_client_data: 1000, timeout_member_connect: 2000, timeout_member_data: 3000 })] });
    expect(text).toContain('  option forwardfor\n  timeout client 1000\nbackend');
    expect(backendOf(text)).toContain('  timeout connect 2000\n  timeout server 3000\n');
  });

  it('persistence: source IP, HTTP cookie with a cookie per server, app cookie as a string stick table', () => {
    expect(backendOf(render({ pools: [pool({ session_persistence: { type: 'SOURCE_IP', cookie_name: null } })] }))).toContain(
      '  timeout check 4s\n  stick-table type ip size 10k\n  stick on src\n  server',
    );
    const http = backendOf(render({ pools: [pool({ session_persistence: { type: 'HTTP_COOKIE', cookie_name: null } })] }));
    expect(http).toContain('  cookie SRV insert indirect nocache\n');
    expect(http).toContain(`server ${MEMBER_IDS[0]} 10.30.0.7:80 weight 1 check inter 5s fall 3 cookie 0\n`);
    expect(http).toContain(`server ${MEMBER_IDS[1]} 10.30.0.8:80 weight 1 check inter 5s fall 3 cookie 1\n`);
    const app = backendOf(render({ pools: [pool({ session_persistence: { type: 'APP_COOKIE', cookie_name: 'JSESSIONID' } })] }));
    expect(app).toContain('  stick-table type string len 56 size 10k expire 3h\n  stick store-response res.cook(JSESSIONID)\n  stick match req.cook(JSESSIONID)\n');
    expect(app).not.toContain('appsession');
  });

  it('HTTP and HTTPS monitors add the check request and the expected codes; PING checks as TCP', () => {
    const http = backendOf(render({ healthmonitors: [monitor({ type: 'HTTP', http_method: 'HEAD', url_path: '/health', expected_codes: '200-202' })] }));
    expect(http).toContain('  timeout check 4s\n  option httpchk HEAD /health\n  http-check expect rstatus 200|201|202\n  server');
    expect(backendOf(render({ healthmonitors: [monitor({ type: 'HTTPS' })] }))).toContain('  http-check expect rstatus 200\n  option ssl-hello-chk\n');
    expect(render({ healthmonitors: [monitor({ type: 'PING' })] })).toBe(GOLDEN);
  });

  it('maps expected_codes lists and ranges', () => {
    expect(expectedCodesPattern('200')).toBe('200');
    expect(expectedCodesPattern('200,202')).toBe('200|202');
    expect(expectedCodesPattern('200-204')).toBe('200|201|202|203|204');
    expect(expectedCodesPattern('200, 301-302')).toBe('200|301|302');
  });

  it('rise follows max_retries when it is not HAProxy default of 2; no monitor, no check', () => {
    expect(render({ healthmonitors: [monitor({ max_retries: 5, max_retries_down: 4 })] })).toContain('check inter 5s fall 4 rise 5\n');
    const none = render({ healthmonitors: [], pools: [pool({ healthmonitor_id: null })] });
    expect(none).not.toContain('check');
    expect(none).toContain(`server ${MEMBER_IDS[0]} 10.30.0.7:80 weight 1\n`);
    expect(render({ healthmonitors: [monitor({ provisioning_status: 'PENDING_DELETE' })] })).not.toContain('check');
  });

  it('leaves out admin-down and deleted members, marks backups, keeps the weights and the creation order', () => {
    const text = render({
      members: [
        member('m-c', '10.30.0.3', { weight: 3 }),
        member('m-a', '10.30.0.1', { admin_state_up: false }),
        member('m-d', '10.30.0.4', { provisioning_status: 'PENDING_DELETE' }),
        member('m-b', '10.30.0.2', { backup: true }),
      ],
    });
    const servers = text.split('\n').filter((l) => l.startsWith('  server '));
    expect(servers).toEqual(['  server m-c 10.30.0.3:80 weight 3 check inter 5s fall 3', '  server m-b 10.30.0.2:80 weight 1 check inter 5s fall 3 backup']);
  });

  it('a frontend per served listener on the one VIP; pools no listener uses and deleted or disabled listeners are left out', () => {
    const text = render({
      listeners: [listener(), listener({ id: 'l-tcp', protocol: 'TCP', protocol_port: 22, default_pool_id: 'p-tcp' }), listener({ id: 'l-off', protocol_port: 81, admin_state_up: false }), listener({ id: 'l-del', protocol_port: 82, provisioning_status: 'PENDING_DELETE', default_pool_id: 'p-del' })],
      pools: [pool(), pool({ id: 'p-tcp', protocol: 'TCP', listener_id: 'l-tcp' }), pool({ id: 'p-none', listener_id: null }), pool({ id: 'p-del', listener_id: 'l-del' })],
    });
    expect(text.split('\n').filter((l) => /^(frontend|backend) /.test(l))).toEqual([`frontend ${LISTENER_ID}`, 'frontend l-tcp', `backend ${POOL_ID}`, 'backend p-tcp']);
    expect(text).toContain('  bind 10.30.0.9:22\n  mode tcp\n  default_backend p-tcp\n');
  });

  it('a listener without a default pool has no default_backend', () => {
    const text = render({ listeners: [listener({ default_pool_id: null })] });
    expect(text).not.toContain('default_backend');
    expect(text).not.toContain('backend ');
  });
});
