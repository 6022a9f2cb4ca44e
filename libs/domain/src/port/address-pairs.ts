/** neutron_lib's allowed_address_pairs validator, with its exceptions. */
import { httpBadRequest, neutronError } from '../common/errors';
import { pyStr } from '../common/python';
import { validateIpAddress, validateMacAddress, validateSubnet } from '../common/ip-validators';
import { validateDict } from '../common/validators';

export function validateAddressPairs(pairs: unknown, max: number): string | undefined {
  if (!Array.isArray(pairs)) throw httpBadRequest('Allowed address pairs must be a list.');
  if (pairs.length > max)
    throw neutronError(400, 'AllowedAddressPairExhausted', `The number of allowed address pair exceeds the maximum ${max}.`);
  const seen = new Set<string>();
  for (const pair of pairs) {
    const msg = validateDict(pair);
    if (msg) return msg;
    const p = pair as Record<string, unknown>;
    if ('mac_address' in p) {
      const m = validateMacAddress(p.mac_address);
      if (m) throw httpBadRequest(m);
    }
    if (!('ip_address' in p)) throw neutronError(400, 'AllowedAddressPairsMissingIP', 'AllowedAddressPair must contain ip_address');
    const key = JSON.stringify([p.mac_address ?? null, p.ip_address]);
    if (seen.has(key))
      throw neutronError(
        400,
        'DuplicateAddressPairInRequest',
        `Request contains duplicate address pair: mac_address ${pyStr(p.mac_address ?? null)} ip_address ${pyStr(p.ip_address)}.`,
      );
    seen.add(key);
    const extra = Object.keys(p).filter((k) => k !== 'mac_address' && k !== 'ip_address');
    if (extra.length) throw httpBadRequest(`Unrecognized attribute(s) '${extra.join(', ')}'`);
    const ip = p.ip_address;
    const bad = typeof ip === 'string' && ip.includes('/') ? validateSubnet(ip) : validateIpAddress(ip);
    if (bad) throw httpBadRequest(bad);
  }
  return undefined;
}
