import type { Actor } from '../actor';
import { parseAttributes } from '../common/attributes';
import { unwrapSingular } from '../common/body';
import { enforce } from '../common/policy';
import type { DomainConfig } from '../config';
import { NETWORK_ATTRS } from './attributes';
import { checkMtu } from './mtu';
import { networkRules } from './policy';
import { SegmentRequest, segmentRequest } from './segment';

export interface NetworkCreateAttrs {
  name: string;
  description: string;
  admin_state_up: boolean;
  shared: boolean;
  'router:external': boolean;
  port_security_enabled: boolean;
  tenant_id: string;
  project_id: string;
  /** The MTU the network gets (the requested one, or the type's maximum). */
  mtu: number;
  tags?: string[];
  /** Given (a policy id or null), or undefined: the project's default policy applies. */
  qos_policy_id?: string | null;
}

export interface NetworkCreatePlan {
  attrs: NetworkCreateAttrs;
  segment: SegmentRequest;
}

/** POST /v2.0/networks: body → what to create, or Zed's error. */
export function validateNetworkCreate(body: unknown, actor: Actor, cfg: DomainConfig): NetworkCreatePlan {
  const item = parseAttributes(unwrapSingular(body, 'network'), NETWORK_ATTRS, actor, true);
  enforce({
    action: 'create_network',
    actor,
    item,
    map: NETWORK_ATTRS,
    rules: networkRules(actor, item.tenant_id),
    ownerProject: item.tenant_id,
  });
  const segment = segmentRequest(item, cfg);
  const mtu = checkMtu(item.mtu as number, segment.network_type, cfg);
  return {
    attrs: {
      name: item.name as string,
      description: item.description as string,
      admin_state_up: item.admin_state_up as boolean,
      shared: item.shared as boolean,
      'router:external': item['router:external'] as boolean,
      port_security_enabled: item.port_security_enabled as boolean,
      tenant_id: item.tenant_id as string,
      project_id: item.project_id as string,
      mtu,
      ...(item.qos_policy_id !== undefined ? { qos_policy_id: item.qos_policy_id as string | null } : {}),
    },
    segment,
  };
}
