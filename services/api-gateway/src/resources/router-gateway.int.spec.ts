import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IPAM_PATTERNS } from '@neutrino/contracts';
import { defaultDomainConfig, type Router } from '@neutrino/domain';
import { EventStore, type NewEvent } from '@neutrino/events';
import { Projection, openSqlite } from '@neutrino/projection';
import { startNats, type NatsServer } from '@neutrino/testing';
import type { DataSource } from 'typeorm';
import type { AgentsService } from '../agents/agents.service';
import type { RequestContext } from '../http/request-context';
import { GatewayProjection } from '../read/gateway-projection';
import { ReadModel } from '../read/read-model';
import { Reader } from '../read/reader';
import { ResourceRow } from '../read/resource-row.entity';
import { CommandHandler } from '../write/command-handler';
import type { IpamClient } from '../write/ipam-client';
import { Writer, type WriterStore } from '../write/writer';
import { DefaultSecurityGroups } from './default-security-group';
import { FloatingIpsService } from './floatingips.service';
import { NetworksService } from './networks.service';
import { PortsService } from './ports.service';
import { RouterScheduler } from './router-scheduler';
import { RoutersService } from './routers.service';
import { ServicePorts } from './service-ports';
import { SubnetsService } from './subnets.service';

jest.setTimeout(60_000);

/** ipam as the gateway sees it: counts allocations, hands out the next address of 203.0.113.0/24. */
class CountingIpam {
  allocations = 0;
  releases = 0;
  private next = 10;
  async call<T>(pattern: string, payload: Record<string, any>): Promise<T> {
    if (pattern === IPAM_PATTERNS.allocateSegment) return { ...payload, network_type: 'vxlan', physical_network: null, segmentation_id: 77 } as T;
    if (pattern === IPAM_PATTERNS.allocatePort) {
      this.allocations++;
      const n = this.next++;
      const fixed_ips = payload.ips.map((ip: { subnet_id: string; ip_address?: string }) => ({ subnet_id: ip.subnet_id, ip_address: ip.ip_address ?? `203.0.113.${n}` }));
      return { fixed_ips, mac_address: `fa:16:3e:00:00:${n.toString(16).padStart(2, '0')}` } as T;
    }
    if (pattern === IPAM_PATTERNS.releasePort) this.releases++;
    return {} as T;
  }
}

describe('router gateway change under a sequence conflict', () => {
  let nats: NatsServer;
  let store: EventStore;
  let ds: DataSource;
  let projection: Projection;
  let dir: string;
  let model: ReadModel;

  beforeAll(async () => {
    nats = await startNats();
    store = await EventStore.connect({ servers: nats.url, name: 'router-gateway-int' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-int-'));
    ds = await openSqlite(path.join(dir, 'gw.sqlite'), [ResourceRow]);
    model = new ReadModel();
    const handler = new GatewayProjection(model);
    await handler.load(ds.manager);
    projection = new Projection(store, ds, handler, {});
    await projection.start();
  });
  afterAll(async () => {
    await projection?.stop();
    await store?.close();
    await ds?.destroy();
    await nats?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('allocates the new gateway port once while the router decision is retried on fresh state', async () => {
    const reader = new Reader(model);
    const ipam = new CountingIpam();
    let rivalAppended = false;
    // The store the writer sees: just before the gateway's router.updated, another writer changes the router.
    const racing: WriterStore = {
      append: async (events: NewEvent[], opts) => {
        const first = events[0];
        const changes = (first.data as { changes?: Partial<Router> }).changes;
        if (!rivalAppended && first.type === 'router.updated' && changes?.external_gateway_info) {
          rivalAppended = true;
          await store.append([{ ...first, id: undefined, data: { changes: { description: 'changed by a rival' } } }], opts);
        }
        return store.append(events, opts);
      },
      findEvent: (s, id, after) => store.findEvent(s, id, after),
    };
    const handler = new CommandHandler(new Writer(racing, projection), { baseBackoffMs: 1 });
    const ip = ipam as unknown as IpamClient;
    const defaults = new DefaultSecurityGroups(reader, handler);
    const ports = new PortsService(reader, handler, ip, defaultDomainConfig, defaults);
    const subnets = new SubnetsService(reader, handler, defaultDomainConfig, () => ports);
    const servicePorts = new ServicePorts(reader, handler, ip);
    const floatingIps = new FloatingIpsService(reader, handler, servicePorts, () => ports);
    const networks = new NetworksService(reader, handler, ip, defaultDomainConfig, () => ports, () => subnets, () => floatingIps);
    const agents = { l3Agents: async () => [] } as unknown as AgentsService;
    const scheduler = new RouterScheduler(reader, handler, servicePorts, agents, () => networks, () => subnets);
    const routers = new RoutersService(reader, handler, servicePorts, scheduler, () => ports);

    const admin: RequestContext = { actor: { user_id: 'admin', project_id: 'admin', roles: ['admin'] }, requestId: 'req-admin', baseUrl: 'http://x' };
    const member: RequestContext = { actor: { user_id: 'u1', project_id: 'p1', roles: ['member'] }, requestId: 'req-member', baseUrl: 'http://x' };
    const ext = (await networks.create(admin, { network: { name: 'public', 'router:external': true } })).network as { id: string };
    const sub = (await subnets.create(admin, { subnet: { network_id: ext.id, cidr: '203.0.113.0/24', ip_version: 4 } })).subnet as { id: string };
    const router = (await routers.create(member, { router: { name: 'r1' } })).router as { id: string };
    expect(ipam.allocations).toBe(0);

    const answer = (await routers.update(member, router.id, { router: { external_gateway_info: { network_id: ext.id } } })).router as Router;

    expect(rivalAppended).toBe(true);
    expect(ipam.allocations).toBe(1); // reserved once, though the router's decision ran twice
    expect(ipam.releases).toBe(0);
    const gatewayPorts = model.portsOfDevice(router.id).filter((p) => p.device_owner === 'network:router_gateway');
    expect(gatewayPorts).toHaveLength(1);
    expect(answer.external_gateway_info?.external_fixed_ips).toEqual(gatewayPorts[0].fixed_ips.map((f) => ({ subnet_id: sub.id, ip_address: f.ip_address })));
    expect(answer.description).toBe('changed by a rival'); // decided again on the state the rival left
    const routerEvents = (await store.readSubject(`evt.router.${router.id}`)).map((e) => e.type);
    expect(routerEvents).toEqual(['router.created', 'router.updated', 'router.updated']);
  });
});
