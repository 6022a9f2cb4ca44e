import { pickLowestFree } from './pick-address';
import { randomMac } from './mac';
import { pickLowestSegment, segmentLedgerKey } from './pick-segment';

describe('pickLowestFree', () => {
  const pools = [{ start: '10.0.0.2', end: '10.0.0.14' }];
  it('hands out the lowest free address of the pool', () => {
    expect(pickLowestFree(pools, 4, new Set())).toBe('10.0.0.2');
    expect(pickLowestFree(pools, 4, new Set(['10.0.0.2', '10.0.0.3']))).toBe('10.0.0.4');
  });
  it('reuses a released address before higher ones', () => {
    expect(pickLowestFree(pools, 4, new Set(['10.0.0.2', '10.0.0.4']))).toBe('10.0.0.3');
  });
  it('returns null when all 13 addresses of a /28 are taken', () => {
    const taken = new Set(Array.from({ length: 13 }, (_, i) => `10.0.0.${i + 2}`));
    expect(pickLowestFree(pools, 4, taken)).toBeNull();
  });
  it('walks several pools in address order and skips excluded addresses', () => {
    const two = [{ start: '192.168.1.56', end: '192.168.1.254' }, { start: '192.168.1.2', end: '192.168.1.49' }];
    expect(pickLowestFree(two, 4, new Set(), new Set(['192.168.1.2']))).toBe('192.168.1.3');
  });
  it('handles IPv6 pools of a /64', () => {
    const v6 = [{ start: '2001:db8::2', end: '2001:db8::ffff:ffff:ffff:ffff' }];
    expect(pickLowestFree(v6, 6, new Set(['2001:db8::2']))).toBe('2001:db8::3');
  });
});

describe('randomMac', () => {
  it('keeps the fa:16:3e prefix', () => {
    expect(randomMac('fa:16:3e:00:00:00', new Uint8Array([1, 0xab, 255]))).toBe('fa:16:3e:01:ab:ff');
  });
});

describe('pickLowestSegment', () => {
  it('takes the lowest free id across ranges', () => {
    expect(pickLowestSegment([[30, 31], [51, 55]], new Set(['30', '31']))).toBe(51);
    expect(pickLowestSegment([[30, 30]], new Set(['30']))).toBeNull();
    expect(segmentLedgerKey('vlan', 'physnet2')).toBe('seg-vlan-physnet2');
    expect(segmentLedgerKey('vxlan', null)).toBe('seg-vxlan');
  });
});
