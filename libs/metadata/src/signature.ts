import { createHmac, timingSafeEqual } from 'node:crypto';

/** X-Instance-ID-Signature: hex HMAC-SHA256 of the instance id keyed with the shared secret (spec/metadata.md §5.4). */
export const signInstanceId = (secret: string, instanceId: string): string => createHmac('sha256', secret).update(instanceId).digest('hex');

/** Constant-time check of a signature as the metadata service does it. */
export function verifyInstanceSignature(secret: string, instanceId: string, signature: string | undefined): boolean {
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  const want = Buffer.from(signInstanceId(secret, instanceId), 'hex');
  return timingSafeEqual(want, Buffer.from(signature.toLowerCase(), 'hex'));
}
