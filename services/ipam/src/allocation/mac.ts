/** A MAC with the base prefix's first three octets and three random ones (fa:16:3e:xx:xx:xx). */
export function randomMac(baseMac: string, random: Uint8Array): string {
  const prefix = baseMac.toLowerCase().split(':').slice(0, 3);
  const tail = Array.from(random.slice(0, 3), (b) => b.toString(16).padStart(2, '0'));
  return [...prefix, ...tail].join(':');
}
