import { parseProxyArgs } from './proxy-args';
import { DHCP_PROXY_PORT, ROUTER_PROXY_PORT, metadataProxyProcess } from './proxy-process';

const NET = '34265955-56be-4486-853d-2f0ed5cebb44';
const ROUTER = 'a1b2c3d4-0000-4000-8000-000000000001';
const common = { socketPath: '/var/lib/neutrino/metadata/network1/metadata_proxy', stateDir: '/var/lib/neutrino/metadata/network1', node: '/usr/bin/node', script: '/opt/neutrino/proxy-main.js' };

describe('metadataProxyProcess (golden, spec/metadata.md §3–§4)', () => {
  it('DHCP path: port 80 in qdhcp-<net>, X-Neutron-Network-ID', () => {
    expect(metadataProxyProcess({ ...common, netns: `qdhcp-${NET}`, networkId: NET, listenPort: DHCP_PROXY_PORT })).toEqual({
      id: `metadata-proxy-${NET}`,
      netns: `qdhcp-${NET}`,
      argv: ['/usr/bin/node', '/opt/neutrino/proxy-main.js', `--metadata_proxy_socket=${common.socketPath}`, `--network_id=${NET}`, '--metadata_port=80', '--bind_address=0.0.0.0'],
      pidFile: `/var/lib/neutrino/metadata/network1/metadata-proxy-${NET}.pid`,
    });
  });

  it('router path: port 9697 in qrouter-<router>', () => {
    const p = metadataProxyProcess({ ...common, netns: `qrouter-${ROUTER}`, routerId: ROUTER, listenPort: ROUTER_PROXY_PORT });
    expect(p.id).toBe(`metadata-proxy-${ROUTER}`);
    expect(p.argv.slice(2)).toEqual([`--metadata_proxy_socket=${common.socketPath}`, `--router_id=${ROUTER}`, '--metadata_port=9697', '--bind_address=0.0.0.0']);
    expect(p.reloadSignal).toBeUndefined();
    expect(p.daemonizes).toBeUndefined();
  });

  it('the program reads back what the spec says', () => {
    const p = metadataProxyProcess({ ...common, netns: 'qrouter-x', routerId: ROUTER, listenPort: 9697, bindAddress: '169.254.169.254' });
    expect(parseProxyArgs(p.argv.slice(2))).toEqual({ socketPath: common.socketPath, routerId: ROUTER, port: 9697, bindAddress: '169.254.169.254' });
  });

  it('serves one router or one network, never both or neither', () => {
    expect(() => metadataProxyProcess({ ...common, netns: 'x', listenPort: 80 })).toThrow(/either/);
    expect(() => metadataProxyProcess({ ...common, netns: 'x', listenPort: 80, routerId: ROUTER, networkId: NET })).toThrow(/either/);
    expect(() => parseProxyArgs(['--metadata_proxy_socket=/s', '--metadata_port=80'])).toThrow(/exactly one/);
    expect(() => parseProxyArgs(['--metadata_proxy_socket=/s', '--network_id=n', '--metadata_port=0'])).toThrow(/port/);
  });
});
