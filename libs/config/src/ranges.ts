/** Parsers for ML2-style range settings (`1:1000,2000:2500`, `physnet1:100:199,physnet2`). */
export type Range = [number, number];

function parseRange(text: string, what: string): Range {
  const [a, b] = text.split(':').map((s) => Number(s));
  if (!Number.isInteger(a) || !Number.isInteger(b) || a > b) throw new Error(`invalid ${what} range "${text}"`);
  return [a, b];
}

export function parseRanges(text: string, what = 'id'): Range[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean).map((s) => parseRange(s, what));
}

export function parseVlanRanges(text: string): Record<string, Range[]> {
  const out: Record<string, Range[]> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [physnet, ...rest] = item.split(':');
    out[physnet] ??= [];
    if (rest.length) out[physnet].push(parseRange(rest.join(':'), `VLAN (${physnet})`));
  }
  return out;
}

export const parseList = (text: string): string[] => text.split(',').map((s) => s.trim()).filter(Boolean);
