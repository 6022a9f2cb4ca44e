import { FirewallGroupsController, FirewallPoliciesController, FirewallPolicyActionsController, FirewallRulesController, FirewallV1Controllers } from '../resources/fwaas.controllers';
import { FwaasService } from '../resources/fwaas.service';
import { TrunksService } from '../resources/trunks.service';
import { TrunksController } from '../resources/trunks.controller';
import { FwaasV1Service } from '../resources/fwaas-v1.service';
import { AddressScopesController, SubnetPoolsController } from '../resources/subnetpools.controllers';
import { SubnetPoolsService } from '../resources/subnetpools.service';
import { AddressGroupsController } from '../resources/address-groups.controller';
import { AddressGroupsService } from '../resources/address-groups.service';
import { QosBandwidthLimitRulesController, QosDscpMarkingRulesController, QosPoliciesController, QosRuleTypesController } from '../resources/qos.controllers';
import { QosService } from '../resources/qos.service';
import * as os from 'node:os';
import * as path from 'node:path';
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ClientProxyFactory, Transport, type ClientProxy } from '@nestjs/microservices';
import { dataDir, intSetting, natsServers, setting } from '@neutrino/config';
import type { DomainConfig } from '@neutrino/domain';
import { EventStore } from '@neutrino/events';
import { Metrics, createLogger, type Logger } from '@neutrino/observability';
import { Projection, openSqlite } from '@neutrino/projection';
import type { DataSource } from 'typeorm';
import { AgentsModule } from '../agents/agents.module';
import { AgentsService } from '../agents/agents.service';
import { FloatingIpsService } from '../resources/floatingips.service';
import { HealthMonitorsController, LbaasMetaController, ListenersController, LoadBalancersController, MembersController, PoolsController } from '../resources/lbaas.controllers';
import { LoadBalancersService } from '../resources/loadbalancers.service';
import { AgentPoolsController, V1HealthMonitorsController, V1MembersController, V1PoolsController, V1VipsController } from '../resources/lbaas-v1.controllers';
import { LbaasV1Service } from '../resources/lbaas-v1.service';
import { NetworkIpAvailabilityController } from '../resources/ip-availability.controller';
import { RbacPoliciesController } from '../resources/rbac-policies';
import { AgentRoutersController, FloatingIpsController, PortForwardingsController, RoutersController } from '../resources/l3.controllers';
import { PortForwardingsService } from '../resources/port-forwardings.service';
import { L3AgentsView } from '../resources/l3-agents.view';
import { RouterScheduler } from '../resources/router-scheduler';
import { RoutersService } from '../resources/routers.service';
import { ServicePorts } from '../resources/service-ports';
import { MetaController } from '../http/meta.controller';
import { GatewayProjection } from '../read/gateway-projection';
import { ReadModel } from '../read/read-model';
import { Reader } from '../read/reader';
import { ResourceRow } from '../read/resource-row.entity';
import { NetworksService } from '../resources/networks.service';
import { PortsService } from '../resources/ports.service';
import { NetworksController, PortsController, SubnetsController } from '../resources/resource.controllers';
import { SubnetsService } from '../resources/subnets.service';
import {
  FloatingIpTagsController, NetworkTagsController, PortTagsController, RouterTagsController, SecurityGroupTagsController, SubnetTagsController,
} from '../resources/tags.controllers';
import { TagsService } from '../resources/tags.service';
import { QuotasController } from '../resources/quotas.controller';
import { VPN_CONTROLLERS } from '../resources/vpn.controllers';
import { VpnService } from '../resources/vpn.service';
import { QuotasService } from '../resources/quotas.service';
import { DefaultSecurityGroups } from '../resources/default-security-group';
import { DeletionSettler } from '../resources/deletion-settler';
import { SecurityGroupRulesController, SecurityGroupsController } from '../resources/security-group.controllers';
import { SecurityGroupRulesService } from '../resources/security-group-rules.service';
import { SecurityGroupsService } from '../resources/security-groups.service';
import { IpamClient } from '../write/ipam-client';
import { BulkBatches } from '../write/bulk-batches';
import { CommandHandler } from '../write/command-handler';
import { Writer } from '../write/writer';
import { domainConfigFromEnv } from './domain-config';
import { DOMAIN_CONFIG, EVENT_STORE, IPAM_CLIENT, LOGGER, METRICS } from './tokens';

const DATA_SOURCE = Symbol('DATA_SOURCE');
const RPC = Symbol('RPC');

@Module({
  imports: [AgentsModule],
  controllers: [
    MetaController, NetworksController, SubnetsController, PortsController, SecurityGroupsController, SecurityGroupRulesController, RoutersController,
    FloatingIpsController, PortForwardingsController, TrunksController, AgentRoutersController, LoadBalancersController, ListenersController, PoolsController, MembersController, HealthMonitorsController,
    V1PoolsController, V1VipsController, V1MembersController, V1HealthMonitorsController, AgentPoolsController, NetworkIpAvailabilityController, RbacPoliciesController,
    LbaasMetaController, NetworkTagsController, SubnetTagsController, PortTagsController, RouterTagsController, FloatingIpTagsController,
    SecurityGroupTagsController, QuotasController, ...VPN_CONTROLLERS, FirewallRulesController, FirewallPolicyActionsController, FirewallPoliciesController, FirewallGroupsController, ...FirewallV1Controllers,
    AddressScopesController, SubnetPoolsController, AddressGroupsController, QosPoliciesController, QosBandwidthLimitRulesController, QosDscpMarkingRulesController, QosRuleTypesController,
  ],
  providers: [
    { provide: LOGGER, useFactory: () => createLogger('api-gateway') },
    { provide: METRICS, useFactory: () => new Metrics('api-gateway') },
    { provide: DOMAIN_CONFIG, useFactory: () => domainConfigFromEnv() },
    {
      provide: EVENT_STORE,
      useFactory: () =>
        EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: `api-gateway-${process.pid}` }),
    },
    { provide: DATA_SOURCE, useFactory: () => openSqlite(path.join(dataDir(), 'api-gateway.sqlite'), [ResourceRow]) },
    ReadModel,
    {
      provide: Projection,
      inject: [EVENT_STORE, DATA_SOURCE, ReadModel, METRICS],
      useFactory: async (store: EventStore, ds: DataSource, model: ReadModel, metrics: Metrics) => {
        const handler = new GatewayProjection(model);
        await handler.load(ds.manager);
        const projection = new Projection(store, ds, handler, {
          metrics,
          logger: createLogger('api-gateway'),
          snapshotEveryMs: intSetting('snapshotIntervalMs'),
        });
        await projection.start();
        return projection;
      },
    },
    { provide: Reader, inject: [ReadModel], useFactory: (m: ReadModel) => new Reader(m) },
    { provide: Writer, inject: [EVENT_STORE, Projection, METRICS], useFactory: (s: EventStore, p: Projection, m: Metrics) => new Writer(s, p, m) },
    {
      provide: RPC,
      useFactory: async () => {
        const client = ClientProxyFactory.create({ transport: Transport.NATS, options: { servers: natsServers(), name: `api-gateway-rpc-${process.pid}` } });
        await client.connect();
        return client;
      },
    },
    { provide: IPAM_CLIENT, inject: [RPC, METRICS], useFactory: (c: ClientProxy, m: Metrics) => new IpamClient(c, intSetting('ipamTimeoutMs'), m) },
    { provide: CommandHandler, inject: [Writer], useFactory: (w: Writer) => new CommandHandler(w, { deadlineMs: intSetting('commandDeadlineMs') }) },
    {
      provide: QuotasService,
      inject: [Reader, CommandHandler, DOMAIN_CONFIG],
      useFactory: (r: Reader, w: CommandHandler, c: DomainConfig) => new QuotasService(r, w, c.quotaDefaults, intSetting('quotaClaimTtlMs')),
    },
    { provide: TagsService, inject: [Reader, CommandHandler], useFactory: (r: Reader, w: CommandHandler) => new TagsService(r, w) },
    { provide: DefaultSecurityGroups, inject: [Reader, CommandHandler], useFactory: (r: Reader, w: CommandHandler) => new DefaultSecurityGroups(r, w) },
    {
      provide: SecurityGroupsService,
      inject: [Reader, CommandHandler, DefaultSecurityGroups, QuotasService, AddressGroupsService],
      useFactory: (r: Reader, w: CommandHandler, d: DefaultSecurityGroups, q: QuotasService, ag: AddressGroupsService) => new SecurityGroupsService(r, w, d, q, ag),
    },
    {
      provide: SecurityGroupRulesService,
      inject: [Reader, CommandHandler, DefaultSecurityGroups, QuotasService, AddressGroupsService],
      useFactory: (r: Reader, w: CommandHandler, d: DefaultSecurityGroups, q: QuotasService, ag: AddressGroupsService) => new SecurityGroupRulesService(r, w, d, q, ag),
    },
    {
      provide: PortsService,
      inject: [Reader, CommandHandler, IPAM_CLIENT, DOMAIN_CONFIG, DefaultSecurityGroups, ModuleRef, QuotasService],
      useFactory: (r: Reader, w: CommandHandler, i: IpamClient, c: DomainConfig, d: DefaultSecurityGroups, m: ModuleRef, q: QuotasService) =>
        new PortsService(r, w, i, c, d, () => m.get(BulkBatches), q),
    },
    {
      provide: BulkBatches,
      inject: [ReadModel, CommandHandler, PortsService],
      useFactory: (m: ReadModel, w: CommandHandler, p: PortsService) =>
        new BulkBatches(
          m, w, { owner: `${os.hostname()}:${intSetting('apiPort')}`, deadlineMs: intSetting('bulkDeadlineMs'), quietMs: intSetting('bulkSettleIntervalMs') },
          (ctx, _resource, id) => p.remove(ctx, id), createLogger('api-gateway'),
        ),
    },
    { provide: SubnetPoolsService, inject: [Reader, CommandHandler], useFactory: (r: Reader, w: CommandHandler) => new SubnetPoolsService(r, w) },
    { provide: AddressGroupsService, inject: [Reader, CommandHandler], useFactory: (r: Reader, w: CommandHandler) => new AddressGroupsService(r, w) },
    { provide: QosService, inject: [Reader, CommandHandler], useFactory: (r: Reader, w: CommandHandler) => new QosService(r, w) },
    {
      provide: SubnetsService,
      inject: [Reader, CommandHandler, DOMAIN_CONFIG, PortsService, SubnetPoolsService, QuotasService],
      useFactory: (r: Reader, w: CommandHandler, c: DomainConfig, p: PortsService, sp: SubnetPoolsService, q: QuotasService) => new SubnetsService(r, w, c, () => p, q, sp),
    },
    {
      provide: NetworksService,
      inject: [Reader, CommandHandler, IPAM_CLIENT, DOMAIN_CONFIG, PortsService, SubnetsService, FloatingIpsService, QuotasService],
      useFactory: (r: Reader, w: CommandHandler, i: IpamClient, c: DomainConfig, p: PortsService, s: SubnetsService, f: FloatingIpsService, q: QuotasService) =>
        new NetworksService(r, w, i, c, () => p, () => s, () => f, q),
    },
    {
      provide: DeletionSettler,
      inject: [Reader, CommandHandler, PortsService, SubnetPoolsService],
      useFactory: (r: Reader, w: CommandHandler, p: PortsService, sp: SubnetPoolsService) => new DeletionSettler(r, w, () => p, () => sp),
    },
    { provide: ServicePorts, inject: [Reader, CommandHandler, IPAM_CLIENT], useFactory: (r: Reader, w: CommandHandler, i: IpamClient) => new ServicePorts(r, w, i) },
    {
      provide: RouterScheduler,
      inject: [Reader, CommandHandler, ServicePorts, AgentsService, NetworksService, SubnetsService, PortsService],
      useFactory: (r: Reader, w: CommandHandler, sp: ServicePorts, a: AgentsService, n: NetworksService, s: SubnetsService, p: PortsService) =>
        new RouterScheduler(r, w, sp, a, () => n, () => s, (ctx, id) => p.remove(ctx, id)),
    },
    {
      provide: RoutersService,
      inject: [Reader, CommandHandler, ServicePorts, RouterScheduler, PortsService, QuotasService],
      useFactory: (r: Reader, w: CommandHandler, sp: ServicePorts, sch: RouterScheduler, p: PortsService, q: QuotasService) => new RoutersService(r, w, sp, sch, () => p, q),
    },
    {
      provide: FloatingIpsService,
      inject: [Reader, CommandHandler, ServicePorts, PortsService, QuotasService],
      useFactory: (r: Reader, w: CommandHandler, sp: ServicePorts, p: PortsService, q: QuotasService) => new FloatingIpsService(r, w, sp, () => p, q),
    },
    { provide: PortForwardingsService, inject: [Reader, CommandHandler], useFactory: (r: Reader, w: CommandHandler) => new PortForwardingsService(r, w) },
    {
      provide: LoadBalancersService,
      inject: [Reader, CommandHandler, ServicePorts, AgentsService, DefaultSecurityGroups, PortsService, EVENT_STORE],
      useFactory: (r: Reader, w: CommandHandler, sp: ServicePorts, a: AgentsService, d: DefaultSecurityGroups, p: PortsService, s: EventStore) =>
        new LoadBalancersService(r, w, sp, a, d, () => p, () => s.lbaasStats()),
    },
    {
      provide: LbaasV1Service,
      inject: [Reader, CommandHandler, LoadBalancersService, ServicePorts, AgentsService, DefaultSecurityGroups, PortsService],
      useFactory: (r: Reader, w: CommandHandler, l: LoadBalancersService, sp: ServicePorts, a: AgentsService, d: DefaultSecurityGroups, p: PortsService) =>
        new LbaasV1Service(r, w, l, sp, a, d, () => p),
    },
    { provide: VpnService, inject: [Reader, CommandHandler], useFactory: (r: Reader, w: CommandHandler) => new VpnService(r, w) },
    { provide: FwaasService, inject: [Reader, CommandHandler], useFactory: (r: Reader, w: CommandHandler) => new FwaasService(r, w) },
    { provide: TrunksService, inject: [Reader, CommandHandler], useFactory: (r: Reader, w: CommandHandler) => new TrunksService(r, w) },
    { provide: FwaasV1Service, inject: [Reader, FwaasService], useFactory: (r: Reader, f: FwaasService) => new FwaasV1Service(r, f, intSetting('quotaFirewall')) },
    { provide: L3AgentsView, inject: [Reader, AgentsService], useFactory: (r: Reader, a: AgentsService) => new L3AgentsView(r, a) },
  ],
  exports: [Projection, LOGGER, METRICS, EVENT_STORE, BulkBatches],
})
export class GatewayModule implements OnApplicationShutdown {
  private readonly settler?: NodeJS.Timeout;

  constructor(
    private readonly projection: Projection,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RPC) private readonly rpc: ClientProxy,
    @Inject(DATA_SOURCE) private readonly ds: DataSource,
    settler: DeletionSettler,
    @Inject(LOGGER) log: Logger,
    private readonly bulks: BulkBatches,
  ) {
    const every = intSetting('deletionSettleIntervalMs');
    if (every > 0) {
      let running = false;
      this.settler = setInterval(() => {
        if (running) return;
        running = true;
        settler
          .sweep()
          .then((n) => (n.networks || n.ports || n.blocks) && log.warn(n, 'settled what a deletion interrupted by a crash had left'))
          .catch((err) => log.error({ err }, 'deletion settlement failed'))
          .finally(() => (running = false));
      }, every);
      this.settler.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.settler);
    await this.bulks.stop();
    await this.projection.stop();
    await this.rpc.close();
    await this.store.close();
    await this.ds.destroy();
  }
}
