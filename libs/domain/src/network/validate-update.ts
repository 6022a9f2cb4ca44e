import type { Actor } from '../actor';
import { isSet, parseAttributes } from '../common/attributes';
import { unwrapUpdate } from '../common/body';
import { networkNotFound } from '../common/errors';
import { enforce } from '../common/policy';
import { pyEquals } from '../common/validators';
import { defaultDomainConfig, DomainConfig } from '../config';
import { NeutronError, invalidInput } from '../errors';
import type { Network } from '../model';
import { NETWORK_ATTRS } from './attributes';
import { checkMtu } from './mtu';
import { networkRules } from './policy';
import { validateProviderSegment } from './segment';
import { canSeeNetwork } from './visibility';

const UPDATABLE = ['name', 'description', 'admin_state_up', 'shared', 'router:external', 'port_security_enabled', 'mtu', 'qos_policy_id'] as const;

/**
 * PUT /v2.0/networks/<id>: the attributes that change. Provider attributes:
 * only a VLAN network's segmentation id may change (the caller must reserve
 * the new id); shared true→false is refused while other projects use it.
 */
export function validateNetworkUpdate(
  body: unknown,
  current: Network,
  actor: Actor,
  ctx: { otherProjectsHavePorts: boolean },
  cfg: DomainConfig = defaultDomainConfig,
): Partial<Network> {
  const raw = unwrapUpdate(body, 'network', 'networks');
  const item = parseAttributes(raw, NETWORK_ATTRS, actor, false);
  if (!canSeeNetwork(current, actor)) throw networkNotFound(current.id);
  enforce({
    action: 'update_network',
    actor,
    item: { ...current, ...item },
    map: NETWORK_ATTRS,
    rules: networkRules(actor, current.tenant_id),
    updating: Object.keys(item),
    ownerProject: current.tenant_id,
  });

  const changes: Partial<Network> = {};
  checkProviderUpdate(item, current, cfg, changes);
  if (item.shared === false && current.shared && ctx.otherProjectsHavePorts)
    throw new NeutronError(
      409,
      'InvalidSharedSetting',
      `Unable to reconfigure sharing settings for network ${current.name}. Multiple tenants are using it.`,
    );
  for (const key of UPDATABLE) {
    if (!(key in item)) continue;
    let value = item[key];
    if (key === 'mtu') value = checkMtu(value as number, current['provider:network_type'], cfg);
    if (!pyEquals(value, current[key])) (changes as Record<string, unknown>)[key] = value;
  }
  return changes;
}

function checkProviderUpdate(item: Record<string, unknown>, current: Network, cfg: DomainConfig, changes: Partial<Network>) {
  const fixed = ['provider:network_type', 'provider:physical_network'] as const;
  if (fixed.some((k) => k in item && isSet(item[k]) && item[k] !== current[k]))
    throw invalidInput(`Plugin does not support updating the following provider network attributes: ${fixed.join(', ')}`);
  const segId = item['provider:segmentation_id'] as number | null | undefined;
  if (!segId) return;
  if (current['provider:network_type'] !== 'vlan') throw invalidInput('Only VLAN type networks can be updated.');
  validateProviderSegment(
    { network_type: 'vlan', physical_network: current['provider:physical_network'], segmentation_id: segId },
    cfg,
  );
  if (segId !== current['provider:segmentation_id']) changes['provider:segmentation_id'] = segId;
}
