// KV keys may only hold [-/=.\w] and must not start or end with '.', nor hold
// empty tokens ('..'). Anything else is escaped as =XX (UTF-8 bytes, hex),
// which keeps the mapping reversible: '=' itself is escaped too.

const PLAIN = /[-/.\w]/;
const enc = new TextEncoder();

const hex = (s: string) =>
  Array.from(enc.encode(s), (b) => '=' + b.toString(16).toUpperCase().padStart(2, '0')).join('');

export function encodeKvKey(key: string): string {
  if (!key) throw new Error('empty key');
  let out = '';
  const chars = Array.from(key);
  chars.forEach((ch, i) => {
    const dotNeedsEscape = ch === '.' && (i === 0 || i === chars.length - 1 || out.endsWith('.'));
    out += PLAIN.test(ch) && !dotNeedsEscape ? ch : hex(ch);
  });
  return out;
}

export function decodeKvKey(encoded: string): string {
  return encoded.replace(/(?:=[0-9A-F]{2})+/g, (run) =>
    Buffer.from(run.split('=').slice(1).map((h) => parseInt(h, 16))).toString('utf8'),
  );
}
