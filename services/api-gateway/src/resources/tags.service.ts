import { checkTag, tagsDecider, tagsOf, type TagCommand, type TagState, type TaggedKind } from '@neutrino/domain';
import { parseExtensionBody } from '../http/json-body';
import type { RequestContext } from '../http/request-context';
import { FLOATINGIP, NETWORK, PORT, ROUTER, SECURITY_GROUP, SUBNET, type KindSpec } from '../read/kinds';
import type { Reader } from '../read/reader';
import type { CommandHandler } from '../write/command-handler';
import { aggregate, type Loaded } from '../write/states';

/** The kinds with tags (Zed's standard-attr-tag, minus the resources Neutrino does not have). */
export const TAGGED: Record<TaggedKind, KindSpec> = {
  network: NETWORK, subnet: SUBNET, port: PORT, router: ROUTER, floatingip: FLOATINGIP, security_group: SECURITY_GROUP,
};

/**
 * /v2.0/<collection>/<id>/tags: reads from the read model, changes decided by
 * tagsDecider on the resource's own subject (its `*.updated` event). As in Zed
 * (no tag policy) whoever may see a resource may tag it; a resource the caller
 * may not see is TagResourceNotFound like a missing one.
 */
export class TagsService {
  constructor(
    private readonly reader: Reader,
    private readonly handler: CommandHandler,
  ) {}

  private load(ctx: RequestContext, kind: TaggedKind, id: string): Loaded<TagState> {
    const model = this.reader.model;
    const v = model.get(kind, id) as { value: { tags: string[] }; seq: number } | undefined;
    const visible = !!v && TAGGED[kind].visible(v.value, ctx.actor, model);
    return { state: { kind, id, tags: visible ? v.value.tags : undefined }, seq: v?.seq ?? 0 };
  }

  list(ctx: RequestContext, kind: TaggedKind, id: string): { tags: string[] } {
    return { tags: tagsOf(this.load(ctx, kind, id).state) };
  }

  check(ctx: RequestContext, kind: TaggedKind, id: string, tag: string): void {
    checkTag(this.load(ctx, kind, id).state, tag);
  }

  /** PUT …/tags answers the body it was given (Zed's update_tags returns it as is). */
  async replace(ctx: RequestContext, kind: TaggedKind, id: string, raw: unknown): Promise<unknown> {
    const body = parseExtensionBody(raw);
    await this.change(ctx, kind, id, { type: 'ReplaceTags', body });
    return body;
  }

  async change(ctx: RequestContext, kind: TaggedKind, id: string, command: TagCommand): Promise<void> {
    await this.handler.handle(ctx, {
      aggregate: aggregate(kind, id),
      load: () => this.load(ctx, kind, id),
      decide: (s) => tagsDecider.decide(command, s),
    });
  }
}
