/**
 * The port forwarding commands of a floating IP (Zed's pf_plugin create/update/delete and the
 * removal with its internal port), decided on the floating IP's aggregate. Pure: the state is the
 * floating IP and the association context (ports, subnets, routers, all floating IPs).
 */
import { parseAttributes, type Parsed } from '../common/attributes';
import { unwrapSingular, unwrapUpdate } from '../common/body';
import { portNotFound } from '../common/errors';
import type { Actor } from '../actor';
import type { CoreEvent } from '../events';
import { routerReaching, type AssociationContext } from '../floatingip/association';
import { portAlreadyAssociated, subnetWithoutGateway } from '../floatingip/errors';
import type { FloatingIp, Port } from '../model';
import { parseIp, sameIp } from '@neutrino/netaddr';
import { PORT_FORWARDING_ATTRS } from './attributes';
import {
  duplicateOnUpdate, externalPortRequired, internalPortRequired, ipNotOnPort, noIpv4OnInternalPort, otherRouter, portCollision,
  portForwardingNotFound, portHasBindingFloatingIp, sameInternalOnOtherRouter, unreachable, updatedIpNotOnPort,
} from './errors';
import type { PortForwarding } from './model';
import { checkRangeRelation, rangeOf, rangesCollide, singlePort } from './ranges';

export type PortForwardingEvent = CoreEvent<
  'floatingip.port_forwarding_created' | 'floatingip.port_forwarding_updated' | 'floatingip.port_forwarding_deleted' | 'port.forwarding_claimed'
>;

export const portForwardingsOf = (f: FloatingIp | undefined): PortForwarding[] => f?.port_forwardings ?? [];

const allPfs = (ctx: AssociationContext) => ctx.floatingIps.flatMap((f) => portForwardingsOf(f));

type Shape = Pick<PortForwarding, 'protocol' | 'internal_port_id' | 'internal_ip_address' | 'internal_port_range' | 'external_port_range'>;

function checkInternalCollisions(ctx: AssociationContext, pf: Shape, selfId?: string): void {
  for (const o of allPfs(ctx)) {
    if (o.id === selfId || o.protocol !== pf.protocol) continue;
    if (o.internal_port_id === pf.internal_port_id && sameIp(o.internal_ip_address, pf.internal_ip_address) && rangesCollide(o.internal_port_range, pf.internal_port_range))
      throw portCollision('internal_port_range', o.internal_port_range, pf.internal_port_range);
  }
}

/** _check_port_collisions: the ranges' relation, then the internal ports of one address and the external ports of one floating IP. */
function checkCollisions(ctx: AssociationContext, fip: FloatingIp, pf: Shape, selfId?: string): void {
  checkRangeRelation(pf.internal_port_range, pf.external_port_range);
  checkInternalCollisions(ctx, pf, selfId);
  const others = allPfs(ctx).filter((o) => o.id !== selfId && o.protocol === pf.protocol);
  for (const o of others) {
    if (o.floatingip_id === fip.id && rangesCollide(o.external_port_range, pf.external_port_range))
      throw portCollision('external_port_range', o.external_port_range, pf.external_port_range);
  }
}

/** _check_port_has_binding_floating_ip: the internal port must have no floating IP of its own. */
function checkNoBindingFip(ctx: AssociationContext, portId: string, ip: unknown): void {
  const bound = ctx.floatingIps.find((f) => f.port_id === portId);
  if (bound) throw portHasBindingFloatingIp(bound, portId, typeof ip === 'string' ? ip : 'None');
}

const isV4 = (ip: string) => parseIp(ip)?.version === 4;

/** _find_a_router_for_fip_port_forwarding: the internal address (the port's first IPv4 one if not named) and the router that reaches the floating IP's network. */
function findRouter(ctx: AssociationContext, fip: FloatingIp, port: Port, wanted: string | undefined): { ip: string; routerId: string } {
  const v4 = port.fixed_ips.filter((f) => isV4(f.ip_address));
  if (!v4.length) throw noIpv4OnInternalPort(port.id);
  const hit = wanted === undefined ? v4[0] : v4.find((f) => sameIp(f.ip_address, wanted));
  if (!hit) throw ipNotOnPort(wanted!, port.id, v4);
  const subnet = ctx.subnet(hit.subnet_id);
  if (!subnet?.gateway_ip) throw subnetWithoutGateway(hit.subnet_id);
  const router = routerReaching(ctx, fip.floating_network_id, hit.subnet_id);
  if (!router) throw unreachable(fip.floating_network_id, hit.subnet_id, port.id, fip.id);
  return { ip: wanted ?? hit.ip_address, routerId: router.id };
}

/** _check_router_match: a floating IP forwards through one router only. */
function checkRouterMatch(fip: FloatingIp, routerId: string, pf: Shape, portId: string): void {
  if (!fip.router_id || fip.router_id === routerId) return;
  const internal = singlePort(pf.internal_port_range);
  const same = portForwardingsOf(fip).some((o) => sameIp(o.internal_ip_address, pf.internal_ip_address) && singlePort(o.internal_port_range) === internal);
  throw same ? sameInternalOnOtherRouter(fip.id, pf.internal_ip_address, internal) : otherRouter(fip.id, fip.router_id, portId);
}

function internalPort(ctx: AssociationContext, id: string): Port {
  const port = ctx.port(id);
  if (!port) throw portNotFound(id);
  return port;
}

export function decideCreatePortForwarding(fip: FloatingIp, body: unknown, actor: Actor, id: string, ctx: AssociationContext): PortForwardingEvent {
  const item = parseAttributes(unwrapSingular(body, 'port_forwarding'), PORT_FORWARDING_ATTRS, actor, true);
  const external = rangeOf(item.external_port, item.external_port_range);
  if (!external) throw externalPortRequired();
  const internal = rangeOf(item.internal_port, item.internal_port_range);
  if (!internal) throw internalPortRequired();
  const shape: Shape = {
    protocol: item.protocol as string,
    internal_port_id: item.internal_port_id as string,
    internal_ip_address: item.internal_ip_address as string,
    internal_port_range: internal,
    external_port_range: external,
  };
  checkCollisions(ctx, fip, shape);
  checkNoBindingFip(ctx, shape.internal_port_id, shape.internal_ip_address);
  if (fip.port_id) throw portAlreadyAssociated(fip, shape.internal_port_id, shape.internal_ip_address);
  const port = internalPort(ctx, shape.internal_port_id);
  const { ip, routerId } = findRouter(ctx, fip, port, shape.internal_ip_address);
  checkRouterMatch(fip, routerId, shape, port.id);
  const pf: PortForwarding = { id, floatingip_id: fip.id, project_id: fip.project_id, ...shape, internal_ip_address: ip, description: item.description as string };
  return { type: 'floatingip.port_forwarding_created', data: { floatingip_id: fip.id, port_forwarding: pf, router_id: routerId } };
}

const PORT_KEYS = ['internal_port', 'internal_port_range', 'external_port', 'external_port_range'];

/** The ranges an update names replace the old ones (a single port replaces its range too). */
function mergedRanges(pf: PortForwarding, item: Parsed): Pick<PortForwarding, 'internal_port_range' | 'external_port_range'> {
  const named = (port: string, range: string, old: string) => ((port in item && item[port] !== null) || (range in item && item[range] !== null) ? rangeOf(item[port], item[range])! : old);
  return {
    internal_port_range: named('internal_port', 'internal_port_range', pf.internal_port_range),
    external_port_range: named('external_port', 'external_port_range', pf.external_port_range),
  };
}

export function decideUpdatePortForwarding(fip: FloatingIp, pfId: string, body: unknown, actor: Actor, ctx: AssociationContext): PortForwardingEvent {
  const item = parseAttributes(unwrapUpdate(body, 'port_forwarding', 'port_forwardings'), PORT_FORWARDING_ATTRS, actor, false);
  if (typeof item.internal_port_id === 'string') checkNoBindingFip(ctx, item.internal_port_id, item.internal_ip_address);
  const pf = portForwardingsOf(fip).find((p) => p.id === pfId);
  if (!pf) throw portForwardingNotFound(pfId);
  const next: PortForwarding = { ...pf, ...mergedRanges(pf, item) };
  if (typeof item.protocol === 'string') next.protocol = item.protocol;
  if (typeof item.description === 'string') next.description = item.description;
  if (typeof item.internal_ip_address === 'string') next.internal_ip_address = item.internal_ip_address;
  if (typeof item.internal_port_id === 'string' && item.internal_port_id !== pf.internal_port_id) {
    const port = internalPort(ctx, item.internal_port_id);
    const wanted = typeof item.internal_ip_address === 'string' ? item.internal_ip_address : undefined;
    const { ip, routerId } = findRouter(ctx, fip, port, wanted);
    next.internal_port_id = port.id;
    next.internal_ip_address = ip;
    checkRouterMatch(fip, routerId, next, port.id);
  }
  // _check_port_forwarding_update: the address is the port's, no twin on this floating IP
  const port = internalPort(ctx, next.internal_port_id);
  if (!port.fixed_ips.some((f) => sameIp(f.ip_address, next.internal_ip_address))) throw updatedIpNotOnPort(port.fixed_ips);
  for (const o of portForwardingsOf(fip)) {
    if (o.id === pf.id || o.protocol !== next.protocol) continue;
    const ext = singlePort(next.external_port_range);
    if (ext !== null && singlePort(o.external_port_range) === ext) duplicate({ floating_ip_address: fip.floating_ip_address, external_port: ext });
    const int = singlePort(next.internal_port_range);
    if (o.internal_port_id === next.internal_port_id && sameIp(o.internal_ip_address, next.internal_ip_address) && int !== null && singlePort(o.internal_port_range) === int)
      duplicate({ internal_port_id: o.internal_port_id, internal_ip_address: o.internal_ip_address, internal_port: int });
  }
  if (PORT_KEYS.some((k) => k in item)) checkCollisions(ctx, fip, next, pf.id);
  const changes: Partial<PortForwarding> = {};
  for (const k of Object.keys(next) as Array<keyof PortForwarding>) if (next[k] !== pf[k]) (changes as Record<string, unknown>)[k] = next[k];
  return { type: 'floatingip.port_forwarding_updated', data: { floatingip_id: fip.id, port_forwarding_id: pf.id, changes } };
}

function duplicate(conflict: Record<string, string | number>): never {
  throw duplicateOnUpdate(conflict);
}

/** The last forwarding takes the floating IP's router with it (Zed sets router_id None). */
function removed(fip: FloatingIp, ids: string[]): PortForwardingEvent[] {
  if (!ids.length) return [];
  const left = portForwardingsOf(fip).filter((p) => !ids.includes(p.id));
  return [{ type: 'floatingip.port_forwarding_deleted', data: { floatingip_id: fip.id, port_forwarding_ids: ids, router_id: left.length ? fip.router_id : null } }];
}

export function decideDeletePortForwarding(fip: FloatingIp, pfId: string): PortForwardingEvent[] {
  if (!portForwardingsOf(fip).some((p) => p.id === pfId)) throw portForwardingNotFound(pfId);
  return removed(fip, [pfId]);
}

/**
 * The forwardings to a port that went away, or to the addresses it no longer has (`keepIps`: the
 * IPv4 addresses it still holds) — Zed's _process_port_request on a port's delete or update.
 */
export function decideRemoveForwardingsOfPort(fip: FloatingIp | undefined, portId: string, keepIps?: string[]): PortForwardingEvent[] {
  if (!fip) return [];
  const ids = portForwardingsOf(fip)
    .filter((p) => p.internal_port_id === portId && !(keepIps ?? []).some((ip) => sameIp(ip, p.internal_ip_address)))
    .map((p) => p.id);
  return removed(fip, ids);
}

/**
 * The recorded forwarding joins its internal port's subject (`port.forwarding_claimed`), with the
 * port sequence its first decision saw, decided again against the port's floating IPs: of a
 * forwarding and a concurrent association of the port the forwarding is refused. `recheck`: a claim
 * of the port came in between (the first try lost), so the forwardings recorded since count too —
 * of two concurrent forwardings of one internal address and port, the one whose claim lands first
 * wins (any other forwarding recorded after the first decision claims after this one and is refused
 * on its own recheck).
 */
export function decideClaimForwardedPort(fip: FloatingIp | undefined, pfId: string, ctx: AssociationContext, recheck: boolean): PortForwardingEvent[] {
  const pf = portForwardingsOf(fip).find((p) => p.id === pfId);
  if (!fip || !pf) return [];
  internalPort(ctx, pf.internal_port_id);
  checkNoBindingFip(ctx, pf.internal_port_id, pf.internal_ip_address);
  if (recheck) checkInternalCollisions(ctx, pf, pf.id);
  return [{ type: 'port.forwarding_claimed', data: { port_id: pf.internal_port_id, floatingip_id: fip.id, port_forwarding_id: pf.id, internal_ip_address: pf.internal_ip_address } }];
}

/** A refused claim takes the forwarding back: deleted (`to` absent) or as it was before the update. */
export function decideRestoreForwarding(fip: FloatingIp | undefined, pfId: string, to?: PortForwarding): PortForwardingEvent[] {
  const pf = portForwardingsOf(fip).find((p) => p.id === pfId);
  if (!fip || !pf) return [];
  if (!to) return removed(fip, [pfId]);
  const changes: Partial<PortForwarding> = {};
  for (const k of Object.keys(to) as Array<keyof PortForwarding>) if (to[k] !== pf[k]) (changes as Record<string, unknown>)[k] = to[k];
  return [{ type: 'floatingip.port_forwarding_updated', data: { floatingip_id: fip.id, port_forwarding_id: pf.id, changes } }];
}
