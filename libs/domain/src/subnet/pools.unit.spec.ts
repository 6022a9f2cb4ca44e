import { formatIp, parseCidr } from '@neutrino/netaddr';
import { defaultPools, poolBounds } from './pools';

describe('default pools', () => {
  const pools = (cidr: string, gw: string | null) => defaultPools(parseCidr(cidr)!, gw);
  it('/28 with the first address as gateway → .2–.14', () =>
    expect(pools('10.0.0.0/28', '10.0.0.1')).toEqual([{ start: '10.0.0.2', end: '10.0.0.14' }]));
  it('/28 without gateway → .1–.14', () => expect(pools('10.0.0.0/28', null)).toEqual([{ start: '10.0.0.1', end: '10.0.0.14' }]));
  it('/30 → one usable address besides the gateway', () =>
    expect(pools('10.0.0.0/30', '10.0.0.1')).toEqual([{ start: '10.0.0.2', end: '10.0.0.2' }]));
  it('/31 → both addresses', () => expect(pools('10.0.0.0/31', null)).toEqual([{ start: '10.0.0.0', end: '10.0.0.1' }]));
  it('/32 → the one address', () => expect(pools('10.0.0.5/32', '10.0.0.6')).toEqual([{ start: '10.0.0.5', end: '10.0.0.5' }]));
  it('IPv6 /64 → all but the subnet-router anycast address', () =>
    expect(pools('2001:db8::/64', '2001:db8::')).toEqual([{ start: '2001:db8::1', end: '2001:db8::ffff:ffff:ffff:ffff' }]));
  it('IPv6 /64 with a ::1 gateway → ::2 onwards', () =>
    expect(pools('2001:db8::/64', '2001:db8::1')).toEqual([{ start: '2001:db8::2', end: '2001:db8::ffff:ffff:ffff:ffff' }]));
  it('pool bounds of a /24 exclude network and broadcast', () => {
    const b = poolBounds(parseCidr('10.0.0.0/24')!);
    expect([formatIp({ version: 4, value: b.first }), formatIp({ version: 4, value: b.last })]).toEqual(['10.0.0.1', '10.0.0.254']);
  });
});
