import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import {
  canSeePolicy, isAdmin, NeutronError, networkDecider, networkPolicies, parseAttributes, RBAC_ACTIONS, rbacErrors, unwrapSingular, validateString,
  type Actor, type AttrMap, type ObjectRbacCommand, type RbacAction, type RbacCommand, type RbacPolicy, badSharedAction, type SharedObjectType,
} from '@neutrino/domain';
import { SubnetPoolsService } from './subnetpools.service';
import { AddressGroupsService } from './address-groups.service';
import { QosService } from './qos.service';
import type { FastifyRequest } from 'fastify';
import { Ctx, rawQueryOf, type RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { listPage } from '../read/list-page';
import { parseListQuery, selectFields, type Query as Q } from '../read/list-query';
import { Reader } from '../read/reader';
import { newId } from '../write/clock';
import { CommandHandler } from '../write/command-handler';
import { aggregate, networkState, visibleNetwork } from '../write/states';

const str = (v: unknown) => validateString(v, 255);
const ATTRS: AttrMap = {
  tenant_id: { post: true, put: false, validate: str },
  object_type: { post: true, put: false },
  object_id: { post: true, put: false, validate: str },
  action: { post: true, put: false },
  target_tenant: { post: true, put: true, validate: str },
};
const FILTERABLE = new Set(['id', 'project_id', 'tenant_id', 'object_type', 'object_id', 'action', 'target_tenant']);
/** The object types Zed knows; networks, subnet pools, address scopes, address groups and QoS policies are served here (the others are refused as unknown, honestly). */
const SERVED_TYPES = new Set(['network', 'subnetpool', 'address_scope', 'address_group', 'qos_policy']);

/**
 * /v2.0/rbac-policies for networks (access_as_shared, access_as_external),
 * each decided on its network's subject by the network decider
 * (libs/domain/src/rbac): the wildcard ones are the network's `shared` and
 * `router:external`, the one-project ones live on the network.
 */
@Controller('v2.0/rbac-policies')
export class RbacPoliciesController {
  constructor(
    @Inject(Reader) private readonly reader: Reader,
    @Inject(CommandHandler) private readonly handler: CommandHandler,
    @Inject(SubnetPoolsService) private readonly pools: SubnetPoolsService,
    @Inject(AddressGroupsService) private readonly addressGroups: AddressGroupsService,
    @Inject(QosService) private readonly qos: QosService,
  ) {}

  /** The service whose objects a shared-object policy names. */
  private shared(type: SharedObjectType) {
    if (type === 'address_group') {
      return {
        checkShareable: (a: Actor, id: string) => this.addressGroups.checkShareable(a, id),
        rbac: (ctx: RequestContext, id: string, c: ObjectRbacCommand) => this.addressGroups.rbac(ctx, id, c),
        policies: (a: Actor) => this.addressGroups.policies(a),
      };
    }
    if (type === 'qos_policy') {
      return {
        checkShareable: (a: Actor, id: string) => this.qos.checkShareable(a, id),
        rbac: (ctx: RequestContext, id: string, c: ObjectRbacCommand) => this.qos.rbac(ctx, id, c),
        policies: (a: Actor) => this.qos.policies(a),
      };
    }
    return {
      checkShareable: (a: Actor, id: string) => this.pools.checkShareable(a, type, id),
      rbac: (ctx: RequestContext, id: string, c: ObjectRbacCommand) => this.pools.rbac(ctx, type, id, c),
      policies: (a: Actor) => this.pools.policies(a),
    };
  }

  private get model() {
    return this.reader.model;
  }

  private all(actor: Actor): RbacPolicy[] {
    const out: RbacPolicy[] = [];
    for (const { value } of this.model.networks.values()) for (const p of networkPolicies(value)) if (canSeePolicy(p, actor)) out.push(p);
    out.push(...this.pools.policies(actor), ...this.addressGroups.policies(actor), ...this.qos.policies(actor));
    return out;
  }

  private find(actor: Actor, id: string): RbacPolicy {
    const p = this.all(actor).find((x) => x.id === id);
    if (!p) throw rbacErrors.notFound(id);
    return p;
  }

  private async run(ctx: RequestContext, networkId: string, command: RbacCommand): Promise<void> {
    await this.handler.handle(ctx, {
      aggregate: aggregate('network', networkId),
      load: () => networkState(this.model, networkId),
      decide: (s) => networkDecider.decide(command, s),
    });
  }

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Q, @Req() req: FastifyRequest) {
    const q = parseListQuery(query, FILTERABLE);
    const rawQuery = rawQueryOf(req);
    const page = listPage(this.all(ctx.actor) as unknown as Array<Record<string, unknown>>, q, {
      collection: 'rbac_policies', notFound: rbacErrors.notFound, selfUrl: `${ctx.baseUrl}/v2.0/rbac-policies`, rawQuery,
    });
    return { rbac_policies: page.items, ...(page.links ? { rbac_policies_links: page.links } : {}) };
  }

  @Get(':id')
  show(@Ctx() ctx: RequestContext, @Param('id') id: string, @Query('fields') fields?: string | string[]) {
    const wanted = ([] as string[]).concat(fields ?? []).flatMap((f) => f.split(',')).filter(Boolean);
    return { rbac_policy: selectFields(this.find(ctx.actor, id) as unknown as Record<string, unknown>, wanted.length ? wanted : null) };
  }

  @Post()
  @HttpCode(201)
  async create(@Ctx() ctx: RequestContext, @Body() raw: unknown) {
    const item = parseAttributes(unwrapSingular(parseJsonBody(raw), 'rbac_policy'), ATTRS, ctx.actor, true);
    if (!SERVED_TYPES.has(item.object_type as string)) throw rbacErrors.badType(item.object_type);
    if (item.object_type !== 'network') return this.createShared(ctx, item.object_type as SharedObjectType, item);
    if (!RBAC_ACTIONS.includes(item.action as RbacAction)) throw rbacErrors.badAction(item.action);
    const networkId = item.object_id as string;
    const network = this.model.networks.get(networkId)?.value;
    // Zed: a network the caller does not own (or cannot see) is "not yours", never "not there"
    if (!network || (!visibleNetwork(this.model, networkId, ctx.actor) && !isAdmin(ctx.actor))) {
      throw network ? rbacErrors.notOwner() : new NeutronError(400, 'InvalidInput', `Invalid input for operation: Network ${networkId} could not be found.`);
    }
    const id = newId();
    await this.run(ctx, networkId, { type: 'AddRbacPolicy', id, action: item.action as RbacAction, target: item.target_tenant as string, actor: ctx.actor });
    const made = networkPolicies(this.model.networks.get(networkId)!.value).find(
      (p) => p.id === id || (item.target_tenant === '*' && p.target_tenant === '*' && p.action === item.action),
    )!;
    return { rbac_policy: made };
  }

  /** A policy on a subnet pool, address scope, address group or QoS policy (access_as_shared only), decided on the object's subject. */
  private async createShared(ctx: RequestContext, type: SharedObjectType, item: Record<string, unknown>) {
    if (item.action !== 'access_as_shared') throw badSharedAction(type, item.action);
    const objectId = item.object_id as string;
    const objects = this.shared(type);
    objects.checkShareable(ctx.actor, objectId);
    const id = newId();
    await objects.rbac(ctx, objectId, { type: 'AddRbacPolicy', id, target: item.target_tenant as string, actor: ctx.actor });
    const made = objects.policies({ ...ctx.actor, roles: ['admin'] }).find(
      (p) => p.object_id === objectId && (p.id === id || (item.target_tenant === '*' && p.target_tenant === '*')),
    )!;
    return { rbac_policy: made };
  }

  @Put(':id')
  async update(@Ctx() ctx: RequestContext, @Param('id') id: string, @Body() raw: unknown) {
    const policy = this.find(ctx.actor, id);
    const item = parseAttributes(unwrapSingular(parseJsonBody(raw), 'rbac_policy'), ATTRS, ctx.actor, false);
    if (item.target_tenant !== undefined && policy.object_type !== 'network') {
      await this.shared(policy.object_type as SharedObjectType).rbac(ctx, policy.object_id, { type: 'UpdateRbacPolicy', policy_id: id, target: item.target_tenant as string, actor: ctx.actor });
    } else if (item.target_tenant !== undefined) {
      await this.run(ctx, policy.object_id, { type: 'UpdateRbacPolicy', policy_id: id, target: item.target_tenant as string, actor: ctx.actor });
    }
    return { rbac_policy: this.find(ctx.actor, id) };
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Ctx() ctx: RequestContext, @Param('id') id: string): Promise<void> {
    const policy = this.find(ctx.actor, id);
    if (policy.object_type !== 'network') await this.shared(policy.object_type as SharedObjectType).rbac(ctx, policy.object_id, { type: 'RemoveRbacPolicy', policy_id: id, actor: ctx.actor });
    else await this.run(ctx, policy.object_id, { type: 'RemoveRbacPolicy', policy_id: id, actor: ctx.actor });
  }
}
