/** Delivery metadata carried in a JetStream message's reply subject. */
export interface AckInfo {
  stream: string;
  consumer: string;
  delivered: number;
  streamSeq: number;
  consumerSeq: number;
  pending: number;
}

/**
 * Parses `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>`
 * (v1) or the v2 form with domain and account hash
 * (`$JS.ACK.<domain>.<acc>.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>[.<token>]`).
 */
export function parseAckSubject(reply: string | undefined): AckInfo | null {
  if (!reply || !reply.startsWith('$JS.ACK.')) return null;
  const t = reply.split('.');
  let i: number;
  if (t.length === 9) i = 2;
  else if (t.length >= 11) i = 4;
  else return null;
  return {
    stream: t[i],
    consumer: t[i + 1],
    delivered: Number(t[i + 2]),
    streamSeq: Number(t[i + 3]),
    consumerSeq: Number(t[i + 4]),
    pending: Number(t[i + 6]),
  };
}
