import { randomBytes } from 'node:crypto';
import { type FixedIp, type IpRequest } from '@neutrino/domain';
import { eui64Address, normAddr, normMac, parseCidr } from '@neutrino/netaddr';
import type { LedgerBook } from '../ledger/ledger-book';
import { randomMac } from '../allocation/mac';
import { pickLowestFree } from '../allocation/pick-address';
import { pickLowestSegment, segmentLedgerKey } from '../allocation/pick-segment';
import type { AllocatePortReply, AllocatePortRequest, AllocateSegmentRequest, CallContext, ReleasePortRequest, SegmentReply } from '@neutrino/contracts';
import type { IpamConfig } from './ipam-config';
import { IpamError, faults } from './ipam.faults';

const MAC_TRIES = 16;

/**
 * Hands out addresses, MACs and segments. Every allocation is an event on its
 * ledger's subject; a port's allocations are all-or-nothing (what was taken
 * before a failure is released again).
 */
export class IpamService {
  constructor(
    private readonly book: LedgerBook,
    private readonly cfg: IpamConfig,
  ) {}

  async allocatePort(req: AllocatePortRequest): Promise<AllocatePortReply> {
    const done: FixedIp[] = [];
    let mac: string | undefined;
    try {
      // SLAAC addresses derive from the MAC, so a new MAC comes first when one is needed.
      const euiFirst = req.ips.some((r) => r.eui64) && req.mac_address !== undefined;
      if (euiFirst) mac = await this.allocateMac(req, req.mac_address!);
      for (const want of req.ips) done.push(await this.allocateOne(req, want, mac ?? req.port_mac));
      if (!euiFirst && req.mac_address !== undefined) mac = await this.allocateMac(req, req.mac_address);
      return { fixed_ips: done, mac_address: mac };
    } catch (err) {
      await this.releasePort({ ...req, fixed_ips: done, mac_address: mac });
      throw err;
    }
  }

  /** One address: the requested one, the EUI-64 of the MAC, or the next free of the subnet or else of its fallbacks. */
  private async allocateOne(req: AllocatePortRequest, want: IpRequest, mac: string | undefined): Promise<FixedIp> {
    const subnetIds = [want.subnet_id, ...(want.fallback_subnet_ids ?? [])];
    let lastErr: unknown;
    for (const id of subnetIds) {
      const subnet = req.subnets.find((s) => s.id === id);
      if (!subnet) throw new IpamError(faults.unknownSubnet(id));
      const wanted = want.eui64 && mac ? eui64Address(parseCidr(subnet.cidr)!, mac) : want.ip_address;
      try {
        return { subnet_id: subnet.id, ip_address: await this.allocateIp(req, subnet, wanted) };
      } catch (err) {
        lastErr = err;
        if (!(err instanceof IpamError) || err.fault.type !== 'IpAddressGenerationFailure') throw err;
      }
    }
    throw lastErr;
  }

  async releasePort(req: ReleasePortRequest): Promise<void> {
    for (const f of req.fixed_ips) {
      await this.book.record(f.subnet_id, (l) =>
        l.owners.get(f.ip_address) === req.port_id
          ? { type: 'ip.released', data: { subnet_id: f.subnet_id, network_id: req.network_id, ip_address: f.ip_address, port_id: req.port_id }, ...ctx(req) }
          : null,
      );
    }
    const mac = req.mac_address;
    if (mac) {
      await this.book.record(req.network_id, (l) =>
        l.owners.get(mac) === req.port_id
          ? { type: 'mac.released', data: { network_id: req.network_id, mac_address: mac, port_id: req.port_id }, ...ctx(req) }
          : null,
      );
    }
  }

  private async allocateIp(req: AllocatePortRequest, subnet: AllocatePortRequest['subnets'][number], wanted?: string): Promise<string> {
    let fault = faults.ipExhausted(req.network_id);
    const got = await this.book.record(subnet.id, (l) => {
      let ip: string | null;
      if (wanted) {
        ip = normAddr(wanted);
        if (l.owners.has(ip)) {
          fault = faults.ipTaken(ip, subnet.id);
          return null;
        }
      } else {
        const exclude = new Set(subnet.gateway_ip ? [normAddr(subnet.gateway_ip)] : []);
        ip = pickLowestFree(subnet.allocation_pools, subnet.ip_version, new Set(l.owners.keys()), exclude);
        if (!ip) return null;
      }
      return { type: 'ip.allocated', data: { subnet_id: subnet.id, network_id: req.network_id, ip_address: ip, port_id: req.port_id }, ...ctx(req) };
    });
    if (!got) throw new IpamError(fault);
    return got.data.ip_address as string;
  }

  private async allocateMac(req: AllocatePortRequest, wanted: string | null): Promise<string> {
    for (let i = 0; i < (wanted ? 1 : MAC_TRIES); i++) {
      const mac = wanted ? normMac(wanted) : randomMac(this.cfg.baseMac, randomBytes(3));
      const got = await this.book.record(req.network_id, (l) =>
        l.owners.has(mac) ? null : { type: 'mac.allocated', data: { network_id: req.network_id, mac_address: mac, port_id: req.port_id }, ...ctx(req) },
      );
      if (got) return mac;
      if (wanted) throw new IpamError(faults.macTaken(req.network_id, mac));
    }
    throw new IpamError(faults.macExhausted(req.network_id));
  }

  async allocateSegment(req: AllocateSegmentRequest): Promise<SegmentReply> {
    const type = req.network_type;
    if (type === 'local') return { network_id: req.network_id, network_type: type, physical_network: null, segmentation_id: null };
    const physnet = type === 'vlan' ? req.physical_network ?? this.firstPhysnetWithFreeVlan() : type === 'flat' ? req.physical_network : null;
    if (type === 'vlan' && !physnet) throw new IpamError(faults.noNetwork());
    const ranges = type === 'vlan' ? this.cfg.vlanRanges[physnet!] ?? [] : type === 'gre' ? this.cfg.greRanges : this.cfg.vniRanges;
    let fault = faults.noNetwork();
    const got = await this.book.record(segmentLedgerKey(type, physnet), (l) => {
      let id: number | null = null;
      if (type === 'flat') {
        if (l.owners.has('flat')) return ((fault = faults.flatTaken(physnet!)), null);
      } else if (req.segmentation_id != null) {
        id = req.segmentation_id;
        if (l.owners.has(String(id))) return ((fault = type === 'vlan' ? faults.vlanTaken(id, physnet!) : faults.tunnelTaken(id)), null);
      } else {
        id = pickLowestSegment(ranges, new Set(l.owners.keys()));
        if (id === null) return null;
      }
      return { type: 'segment.allocated', data: { network_id: req.network_id, network_type: type, physical_network: physnet, segmentation_id: id }, ...ctx(req) };
    });
    if (!got) throw new IpamError(fault);
    return got.data as unknown as SegmentReply;
  }

  async releaseSegment(req: AllocateSegmentRequest): Promise<void> {
    if (req.network_type === 'local') return;
    const key = req.network_type === 'flat' ? 'flat' : String(req.segmentation_id);
    await this.book.record(segmentLedgerKey(req.network_type, req.physical_network), (l) =>
      l.owners.get(key) === req.network_id
        ? { type: 'segment.released', data: { network_id: req.network_id, network_type: req.network_type, physical_network: req.physical_network, segmentation_id: req.segmentation_id }, ...ctx(req) }
        : null,
    );
  }

  private firstPhysnetWithFreeVlan(): string | null {
    for (const [physnet, ranges] of Object.entries(this.cfg.vlanRanges)) {
      const taken = new Set(this.book.ledger(segmentLedgerKey('vlan', physnet)).owners.keys());
      if (pickLowestSegment(ranges, taken) !== null) return physnet;
    }
    return null;
  }
}

const ctx = (c: CallContext) => ({ actor: c.actor, request_id: c.request_id });
