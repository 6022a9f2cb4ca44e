import { formatCidr, parseCidr } from './cidr';
import { cidrsCover, compactCidrTexts, firstFreeCidr, subtractCidrs } from './prefix-set';

const c = (t: string) => parseCidr(t)!;
const texts = (cs: ReturnType<typeof c>[]) => cs.map(formatCidr);

describe('prefix sets (netaddr.IPSet as Neutron uses it)', () => {
  it('compacts adjacent and contained prefixes as Zed shows a pool', () => {
    expect(compactCidrTexts(['10.0.0.0/24', '10.0.1.0/24', '10.2.0.0/16'])).toEqual(['10.0.0.0/23', '10.2.0.0/16']);
    expect(compactCidrTexts(['10.0.0.0/23', '10.0.2.0/24', '10.0.3.0/24', '10.2.0.0/16'])).toEqual(['10.0.0.0/22', '10.2.0.0/16']);
    expect(compactCidrTexts(['10.0.1.0/24', '10.0.2.0/24'])).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
    expect(compactCidrTexts(['10.0.0.0/16', '10.0.5.0/24'])).toEqual(['10.0.0.0/16']);
    expect(compactCidrTexts(['2001:db8::/65', '2001:db8:0:0:8000::/65'])).toEqual(['2001:db8::/64']);
  });

  it('subtracts: removing a prefix leaves the rest compacted (Zed: /22 minus 10.0.3.0/24)', () => {
    expect(texts(subtractCidrs([c('10.0.0.0/22'), c('10.2.0.0/16')], [c('10.0.3.0/24')]))).toEqual(['10.0.0.0/23', '10.0.2.0/24', '10.2.0.0/16']);
    expect(texts(subtractCidrs([c('10.2.0.0/16')], [c('10.2.0.0/17')]))).toEqual(['10.2.128.0/17']);
    expect(texts(subtractCidrs([c('10.0.0.0/24')], [c('10.0.0.0/24')]))).toEqual([]);
  });

  it('allocates from the smallest free block first, as Zed picked 10.0.2.0/25 then 10.0.2.128/28', () => {
    const pool = [c('10.0.0.0/23'), c('10.0.2.0/24'), c('10.2.0.0/16')];
    const a = firstFreeCidr(subtractCidrs(pool, []), 25)!;
    expect(formatCidr(a)).toBe('10.0.2.0/25');
    const b = firstFreeCidr(subtractCidrs(pool, [a]), 28)!;
    expect(formatCidr(b)).toBe('10.0.2.128/28');
    expect(firstFreeCidr([c('10.0.0.0/24')], 23)).toBeUndefined();
  });

  it('a /24 holds exactly sixteen /28s', () => {
    const taken: ReturnType<typeof c>[] = [];
    for (;;) {
      const next = firstFreeCidr(subtractCidrs([c('10.9.0.0/24')], taken), 28);
      if (!next) break;
      taken.push(next);
    }
    expect(new Set(texts(taken)).size).toBe(16);
  });

  it('covers only what lies wholly inside', () => {
    expect(cidrsCover([c('10.0.0.0/24'), c('10.0.1.0/24')], c('10.0.0.128/25'))).toBe(true);
    expect(cidrsCover([c('10.0.0.0/24'), c('10.0.1.0/24')], c('10.0.0.0/23'))).toBe(true);
    expect(cidrsCover([c('10.0.0.0/24')], c('10.0.0.0/23'))).toBe(false);
  });
});
