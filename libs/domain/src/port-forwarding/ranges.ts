/** Zed's port ranges (`start:end`; a single port `p:p`) and the checks on them (_validate_ranges, _range_collides). */
import { invalidRangeRelation } from './errors';

export type PortRange = string;

/** The range a request names: the range attribute if given (`80` = `80:80`), else the single port, else none. */
export function rangeOf(port: unknown, range: unknown): PortRange | undefined {
  if (typeof range === 'string' || typeof range === 'number') {
    const [a, b = a] = String(range).split(':').map((p) => Number(p.trim()));
    return `${a}:${b}`;
  }
  return typeof port === 'number' ? `${port}:${port}` : undefined;
}

export const bounds = (r: PortRange): [number, number] => {
  const [a, b] = r.split(':').map(Number);
  return [a, b];
};

/** The port of a one-port range, else null (what Zed shows as external_port / internal_port). */
export function singlePort(r: PortRange): number | null {
  const [a, b] = bounds(r);
  return a === b ? a : null;
}

const width = (r: PortRange) => bounds(r)[1] - bounds(r)[0];

/** The internal and external ranges relate N-N or 1-N. */
export function checkRangeRelation(internal: PortRange, external: PortRange): void {
  if (width(internal) > 0 && width(internal) !== width(external)) throw invalidRangeRelation();
}

export function rangesCollide(a: PortRange, b: PortRange): boolean {
  const [a0, a1] = bounds(a);
  const [b0, b1] = bounds(b);
  return Math.max(a0, b0) <= Math.min(a1, b1);
}
