import {
  addressGroupDecider, addressGroupNotFound, canSeeAddressGroup, canSeePolicy, listsAddressGroup, NeutronError, objectPolicies, presentAddressGroup,
  presentAddressGroupChange, rbacErrors, type Actor, type AddressGroup, type AddressGroupCommand, type AddressGroupState, type ObjectRbacCommand, type RbacPolicy,
} from '@neutrino/domain';
import type { RequestContext } from '../http/request-context';
import { parseJsonBody } from '../http/json-body';
import { listPage } from '../read/list-page';
import { parseListQuery, selectFields } from '../read/list-query';
import type { Reader } from '../read/reader';
import { newId, nowIso } from '../write/clock';
import type { CommandHandler } from '../write/command-handler';
import { aggregate } from '../write/states';

type Query = Record<string, string | string[] | undefined>;

/** Zed's filters (not `addresses`: "['addresses'] is invalid attribute for filtering"). */
const FILTERS = new Set(['id', 'name', 'tenant_id', 'project_id', 'description']);

/** Zed shows an address group's tenant_id after the fields asked for, whichever they are. */
const withTenant = (fields: string[] | null) => (fields && !fields.includes('tenant_id') ? [...fields, 'tenant_id'] : fields);
const fieldsOf = (q: Query) => {
  const f = ([] as string[]).concat(q.fields ?? []).flatMap((x) => x.split(',')).filter(Boolean);
  return withTenant(f.length ? f : null);
};

/**
 * `/v2.0/address-groups` (address-group) and the address-group side of
 * /v2.0/rbac-policies (rbac-address-group), thin over the address-group
 * decider; and the rules' side of a group (join / leave): what uses a group
 * is recorded on its own subject.
 */
export class AddressGroupsService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
  ) {}

  private get model() {
    return this.reader.model;
  }

  /** The projects of the rules that name the group. */
  private usedBy(id: string): string[] {
    const out = new Set<string>();
    for (const { value: r } of this.model.securityGroupRules.values()) if (r.remote_address_group_id === id) out.add(r.project_id);
    return [...out];
  }

  private state(id: string): { state: AddressGroupState; seq: number } {
    const v = this.model.addressGroups.get(id);
    return { state: { group: v?.value, usedBy: this.usedBy(id) }, seq: v?.seq ?? 0 };
  }

  private run(ctx: RequestContext, id: string, command: AddressGroupCommand) {
    return this.handler.handle<AddressGroupState>(ctx, {
      aggregate: aggregate('address_group', id),
      load: () => this.state(id),
      decide: (s) => addressGroupDecider.decide(command, s),
    });
  }

  private visible(ctx: RequestContext, id: string): AddressGroup {
    const g = this.model.addressGroups.get(id)?.value;
    if (!g || !canSeeAddressGroup(g, ctx.actor)) throw addressGroupNotFound(id);
    return g;
  }

  list(ctx: RequestContext, q: Query, rawQuery = '') {
    const items = [...this.model.addressGroups.values()].map((v) => v.value).filter((g) => listsAddressGroup(g, ctx.actor)).map(presentAddressGroup);
    const query = parseListQuery(q, FILTERS);
    const page = listPage(items, { ...query, fields: withTenant(query.fields) }, { collection: 'address_groups', notFound: addressGroupNotFound, selfUrl: `${ctx.baseUrl}/v2.0/address-groups`, rawQuery });
    return { address_groups: page.items, ...(page.links ? { address_groups_links: page.links } : {}) };
  }

  show(ctx: RequestContext, id: string, q: Query = {}) {
    return { address_group: selectFields(presentAddressGroup(this.visible(ctx, id)), fieldsOf(q)) };
  }

  async create(ctx: RequestContext, raw: unknown) {
    const id = newId();
    await this.run(ctx, id, { type: 'CreateAddressGroup', body: parseJsonBody(raw), actor: ctx.actor, id, now: nowIso() });
    return this.show(ctx, id);
  }

  async update(ctx: RequestContext, id: string, raw: unknown) {
    const body = parseJsonBody(raw);
    this.visible(ctx, id);
    await this.run(ctx, id, { type: 'UpdateAddressGroup', body, actor: ctx.actor });
    return this.show(ctx, id);
  }

  async addresses(ctx: RequestContext, id: string, op: 'add_addresses' | 'remove_addresses', raw: unknown) {
    const body = parseJsonBody(raw);
    this.visible(ctx, id);
    await this.run(ctx, id, { type: op === 'add_addresses' ? 'AddAddresses' : 'RemoveAddresses', body, actor: ctx.actor });
    return { address_group: presentAddressGroupChange(this.visible(ctx, id)) };
  }

  async delete(ctx: RequestContext, id: string) {
    this.visible(ctx, id);
    await this.run(ctx, id, { type: 'DeleteAddressGroup', actor: ctx.actor });
  }

  // ---- the rules that name a group: a rule joins the group on its subject before it is added to its
  // security group (refused when the group is gone or hidden), and leaves after it is removed (with its
  // rule or its security group) — so "in use" is decided on the group's subject. A rule whose add failed
  // leaves again; a crash between the two steps leaves the group held by a rule that does not exist
  // (stricter, never looser).

  join(ctx: RequestContext, groupId: string, ruleId: string, projectId: string) {
    return this.run(ctx, groupId, { type: 'JoinAddressGroup', address_group_id: groupId, rule_id: ruleId, project_id: projectId, actor: ctx.actor });
  }

  async leave(ctx: RequestContext, groupId: string, ruleId: string): Promise<void> {
    await this.run(ctx, groupId, { type: 'LeaveAddressGroup', rule_id: ruleId }).catch(() => undefined);
  }

  // ---- RBAC (rbac-address-group)

  /** Every access_as_shared policy on address groups the caller may see. */
  policies(actor: Actor): RbacPolicy[] {
    const out: RbacPolicy[] = [];
    for (const { value } of this.model.addressGroups.values()) out.push(...objectPolicies('address_group', value));
    return out.filter((p) => canSeePolicy(p, actor));
  }

  /** The group a new policy names (one the caller cannot see is "not yours", one that does not exist is InvalidInput). */
  checkShareable(actor: Actor, id: string): void {
    const g = this.model.addressGroups.get(id)?.value;
    if (!g) throw new NeutronError(400, 'InvalidInput', `Invalid input for operation: Address group ${id} could not be found.`);
    if (!canSeeAddressGroup(g, actor)) throw rbacErrors.notOwner();
  }

  /** A policy command decided on the group's subject. */
  async rbac(ctx: RequestContext, id: string, rbac: ObjectRbacCommand): Promise<void> {
    await this.run(ctx, id, { type: 'AddressGroupRbac', rbac });
  }
}
