import {
  addrFamily, canonicalIp, cidrSize, eui64Address, formatCidr, formatCidrAsWritten, formatIp, isLinkLocal6, linkLocalAddress, networkOf, normAddr, normCidr,
  parseCidr, parseIp, parseMac, prefixLength, sanitizeMac, sizeOf,
} from './index';

describe('addresses', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['010.000.000.001', '10.0.0.1'],
    ['2001:DB8:0:0::1', '2001:db8::1'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
  ])('%s reads as %s', (text, canonical) => expect(formatIp(parseIp(text)!)).toBe(canonical));

  it.each(['1.2.3', '1.2.3.256', '0x0a.0.0.1', 'fe80::1%eth0', '1::2::3', ''])('%s is not an address', (text) =>
    expect(parseIp(text)).toBeUndefined());

  it('canonicalises IPv6 only', () => {
    expect([canonicalIp('2001:0db8::0001'), canonicalIp('10.0.0.01'), canonicalIp('x')]).toEqual(['2001:db8::1', '10.0.0.01', 'x']);
  });
});

describe('CIDRs (as leniently as netaddr)', () => {
  it.each([
    ['10.1.2.3/24', '10.1.2.3/24', '10.1.2.0/24'],
    ['10/8', '10.0.0.0/8', '10.0.0.0/8'],
    ['10.9.0/24', '10.9.0.0/24', '10.9.0.0/24'],
    [' 10.3.2.0/24 ', '10.3.2.0/24', '10.3.2.0/24'],
    ['10.3.0.0/255.255.255.0', '10.3.0.0/24', '10.3.0.0/24'],
    ['10.3.1.0/0.0.0.255', '10.3.1.0/24', '10.3.1.0/24'],
    ['10.0.0.7', '10.0.0.7/32', '10.0.0.7/32'],
    ['2001:DB8::5/64', '2001:db8::5/64', '2001:db8::/64'],
  ])('%s', (text, asWritten, network) => {
    const c = parseCidr(text)!;
    expect([formatCidrAsWritten(c), formatCidr(c)]).toEqual([asWritten, network]);
  });

  it.each(['1.2.3.4.5/24', '10.0.0.0/33', '10.0.0.0/', '/8', '10.0.0.0/255.0.255.0', 'garbage'])('%s is not a CIDR', (t) =>
    expect(parseCidr(t)).toBeUndefined());

  it('an IPv6 /64 has 2^64 addresses', () => expect(sizeOf(parseCidr('2001:db8::/64')!)).toBe(2n ** 64n));
});

describe('MACs', () => {
  it.each([
    ['fa:16:3e:00:00:01', 'fa:16:3e:00:00:01'],
    ['FA-16-3E-00-00-01', 'fa:16:3e:00:00:01'],
    ['fa163e000001', 'fa:16:3e:00:00:01'],
    ['fa16.3e00.0001', 'fa:16:3e:00:00:01'],
    ['fa163e-000001', 'fa:16:3e:00:00:01'],
    ['f:1:3:0:0:1', '0f:01:03:00:00:01'],
  ])('%s → %s', (text, canonical) => expect(sanitizeMac(text)).toBe(canonical));

  it.each(['fa:16:3e:00:00', 'fa:16:3e:00:00:01:02', 'fa 16 3e 00 00 01', 'fa:16:3e-00:00:01'])('%s is not a MAC', (t) =>
    expect(parseMac(t)).toBeUndefined());

  it('EUI-64 addresses match the ones Zed assigned', () => {
    expect(eui64Address(parseCidr('2001:db8:20::/64')!, 'fa:16:3e:c3:46:b2')).toBe('2001:db8:20:0:f816:3eff:fec3:46b2');
    expect(eui64Address(parseCidr('2001:db8:20::/64')!, '01:00:00:00:00:01')).toBe('2001:db8:20:0:300:ff:fe00:1');
  });
});

describe('address text as the kernel prints it', () => {
  it.each([
    ['2001:DB8:0::1', '2001:db8::1'],
    ['10.0.0.1', '10.0.0.1'],
    ['not-an-ip', 'not-an-ip'],
  ])('normAddr(%s) = %s', (text, canonical) => expect(normAddr(text)).toBe(canonical));
  it('normCidr adds a host prefix and keeps host bits', () =>
    expect([normCidr('10.0.0.1'), normCidr('2001:DB8::1/64'), normCidr('fe80::1')]).toEqual(['10.0.0.1/32', '2001:db8::1/64', 'fe80::1/128']));
  it('networkOf drops the host bits', () => expect([networkOf('10.0.0.5/24'), networkOf('2001:db8::5/64')]).toEqual(['10.0.0.0/24', '2001:db8::/64']));
  it('families, prefix lengths and sizes', () => {
    expect([addrFamily('10.0.0.0/8'), addrFamily('::1'), prefixLength('10.1.0.0/16'), prefixLength('10.0.0.1'), cidrSize('10.0.0.0/28')]).toEqual([4, 6, 16, 32, 16]);
  });
  it('link-local only for fe80::/10', () => expect([isLinkLocal6('fe80::1/64'), isLinkLocal6('2001:db8::1/64'), isLinkLocal6('10.0.0.1')]).toEqual([true, false, false]));
  it('the link-local address of a MAC is its EUI-64 on fe80::/64, compressed', () => {
    expect(linkLocalAddress('fa:16:3e:59:0c:68')).toBe('fe80::f816:3eff:fe59:c68');
    expect(linkLocalAddress('02:00:00:00:00:01')).toBe('fe80::ff:fe00:1');
  });
});
