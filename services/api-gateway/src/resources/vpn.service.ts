import { lookup } from 'node:dns/promises';
import {
  canSeeVpn, emptyVpnProject, isAdmin, type NeutronError, parseVpn, presentVpn, vpnDecider, vpnErrors, VPN_KINDS, type Actor, type VpnCommand, type VpnKind, type VpnProject,
  type VpnRouterFacts, type VpnState, type VpnSubnetFacts,
} from '@neutrino/domain';
import { ROUTER_GATEWAY_OWNER } from '@neutrino/naming';
import { parseIp } from '@neutrino/netaddr';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { listPage } from '../read/list-page';
import { parseListQuery, selectFields } from '../read/list-query';
import type { Reader } from '../read/reader';
import { newId } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { aggregate } from '../write/states';

type Query = Record<string, string | string[] | undefined>;

/** URL path segment, body collection key and the attributes its list filters and sorts on. */
export const VPN_COLLECTIONS: Record<VpnKind, { path: string; collection: string; filterable: ReadonlySet<string> }> = {
  ikepolicy: {
    path: 'ikepolicies', collection: 'ikepolicies',
    filterable: new Set(['id', 'tenant_id', 'project_id', 'name', 'description', 'auth_algorithm', 'encryption_algorithm', 'phase1_negotiation_mode', 'ike_version', 'pfs']),
  },
  ipsecpolicy: {
    path: 'ipsecpolicies', collection: 'ipsecpolicies',
    filterable: new Set(['id', 'tenant_id', 'project_id', 'name', 'description', 'transform_protocol', 'auth_algorithm', 'encryption_algorithm', 'encapsulation_mode', 'pfs']),
  },
  vpnservice: {
    path: 'vpnservices', collection: 'vpnservices',
    filterable: new Set(['id', 'tenant_id', 'project_id', 'name', 'description', 'subnet_id', 'router_id', 'admin_state_up', 'status', 'external_v4_ip', 'external_v6_ip', 'flavor_id']),
  },
  ipsec_site_connection: {
    path: 'ipsec-site-connections', collection: 'ipsec_site_connections',
    filterable: new Set([
      'id', 'tenant_id', 'project_id', 'name', 'description', 'peer_address', 'peer_id', 'local_id', 'route_mode', 'mtu', 'auth_mode', 'psk', 'initiator',
      'admin_state_up', 'status', 'vpnservice_id', 'ikepolicy_id', 'ipsecpolicy_id', 'local_ep_group_id', 'peer_ep_group_id',
    ]),
  },
  endpoint_group: {
    path: 'endpoint-groups', collection: 'endpoint_groups',
    filterable: new Set(['id', 'tenant_id', 'project_id', 'name', 'description', 'type']),
  },
};

const NOT_FOUND: Record<VpnKind, (id: string) => NeutronError> = {
  ikepolicy: vpnErrors.ikePolicyNotFound,
  ipsecpolicy: vpnErrors.ipsecPolicyNotFound,
  vpnservice: vpnErrors.vpnServiceNotFound,
  ipsec_site_connection: vpnErrors.connectionNotFound,
  endpoint_group: vpnErrors.endpointGroupNotFound,
};

const fieldsOf = (q: Query) => {
  const f = ([] as string[]).concat(q.fields ?? []).flatMap((x) => x.split(',')).filter(Boolean);
  return f.length ? f : null;
};

/**
 * VPNaaS (`/v2.0/vpn/...`): thin over the VPN decider. Every object of a
 * project is on evt.vpn.<project>, so a command loads that project's objects
 * with the router and subnet facts its checks need; a peer address given as a
 * name is resolved here (the decider stays pure).
 */
export class VpnService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
  ) {}

  private get model() {
    return this.reader.model;
  }

  private routerFacts(actor: Actor) {
    return (id: string): VpnRouterFacts | undefined => {
      const r = this.model.routers.get(id)?.value;
      if (!r || !(isAdmin(actor) || r.project_id === actor.project_id)) return undefined;
      const gw = this.model.portsOfDevice(id).filter((p) => p.device_owner === ROUTER_GATEWAY_OWNER);
      return {
        id,
        hasGateway: !!r.external_gateway_info,
        gatewayIps: gw.flatMap((p) => p.fixed_ips.map((f) => f.ip_address)),
        interfaceSubnetIds: this.model.interfacesOf(id).flatMap((p) => p.fixed_ips.map((f) => f.subnet_id)),
      };
    };
  }

  private subnetFacts = (id: string): VpnSubnetFacts | undefined => {
    const s = this.model.subnets.get(id)?.value;
    return s ? { id: s.id, cidr: s.cidr, ip_version: s.ip_version as 4 | 6 } : undefined;
  };

  private project(id: string): VpnProject {
    return this.model.vpnProjects.get(id)?.value ?? emptyVpnProject(id);
  }

  private run(ctx: RequestContext, project: string, command: VpnCommand) {
    return this.handler.handle<VpnState>(ctx, {
      aggregate: aggregate('vpn', project),
      load: () => {
        const v = this.model.vpnProjects.get(project);
        return { state: { project: v?.value ?? emptyVpnProject(project), router: this.routerFacts(ctx.actor), subnet: this.subnetFacts }, seq: v?.seq ?? 0 };
      },
      decide: (s) => vpnDecider.decide(command, s),
    });
  }

  /** The visible object and the project that holds it. */
  private locate(kind: VpnKind, id: string, actor: Actor): { project: string; object: Record<string, unknown> } {
    const project = this.model.vpnProjectOf(id);
    const o = project ? (this.project(project)[kind] as Record<string, { project_id: string }>)[id] : undefined;
    if (!project || !o || !canSeeVpn(o, actor)) throw NOT_FOUND[kind](id);
    return { project, object: presentVpn(kind, o as never) };
  }

  /** A peer_address that is not an address is resolved (as neutron-vpnaas's resolve_peer_address); undefined when it cannot be. */
  private async resolvePeer(body: unknown, kind: VpnKind): Promise<string | undefined> {
    if (kind !== 'ipsec_site_connection') return undefined;
    const given = (body as { ipsec_site_connection?: { peer_address?: unknown } } | undefined)?.ipsec_site_connection?.peer_address;
    if (typeof given !== 'string' || !given || parseIp(given)) return undefined;
    try {
      return (await lookup(given)).address;
    } catch {
      return undefined;
    }
  }

  list(ctx: RequestContext, kind: VpnKind, q: Query, rawQuery = '') {
    const items: Array<Record<string, unknown>> = [];
    for (const { value } of this.model.vpnProjects.values()) {
      if (!isAdmin(ctx.actor) && value.project_id !== ctx.actor.project_id) continue;
      for (const o of Object.values(value[kind])) if (canSeeVpn(o, ctx.actor)) items.push(presentVpn(kind, o));
    }
    const { path, collection, filterable } = VPN_COLLECTIONS[kind];
    const page = listPage(items, parseListQuery(q, filterable), { collection, notFound: NOT_FOUND[kind], selfUrl: `${ctx.baseUrl}/v2.0/vpn/${path}`, rawQuery });
    return { [collection]: page.items, ...(page.links ? { [`${collection}_links`]: page.links } : {}) };
  }

  show(ctx: RequestContext, kind: VpnKind, id: string, q: Query = {}) {
    return { [kind]: selectFields(this.locate(kind, id, ctx.actor).object, fieldsOf(q)) };
  }

  async create(ctx: RequestContext, kind: VpnKind, raw: unknown) {
    const body = parseJsonBody(raw);
    // the owner decides the aggregate: parse once to know it (the decider parses again, the same way)
    const project = parseVpn(kind, body, ctx.actor, true).project_id as string;
    const id = newId();
    await this.run(ctx, project, { type: 'CreateVpnObject', kind, body, actor: ctx.actor, id, peerAddress: await this.resolvePeer(body, kind) });
    return this.show(ctx, kind, id);
  }

  async update(ctx: RequestContext, kind: VpnKind, id: string, raw: unknown) {
    const body = parseJsonBody(raw);
    const { project } = this.locate(kind, id, ctx.actor);
    await this.run(ctx, project, { type: 'UpdateVpnObject', kind, id, body, actor: ctx.actor, peerAddress: await this.resolvePeer(body, kind) });
    return this.show(ctx, kind, id);
  }

  async delete(ctx: RequestContext, kind: VpnKind, id: string) {
    const { project } = this.locate(kind, id, ctx.actor);
    await this.run(ctx, project, { type: 'DeleteVpnObject', kind, id, actor: ctx.actor });
  }

  /** The VPN services of a router (what RouterInUseByVPNService checks look at). */
  servicesOfRouter(routerId: string): string[] {
    const out: string[] = [];
    for (const { value } of this.model.vpnProjects.values()) for (const s of Object.values(value.vpnservice)) if (s.router_id === routerId) out.push(s.id);
    return out;
  }
}

export { VPN_KINDS };
