import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { metadataSharedSecret } from './shared-secret';
import { signInstanceId, verifyInstanceSignature } from './signature';

describe('instance id signature (spec/metadata.md §5.4)', () => {
  const id = '3f7c2b0e-8a51-4d6e-9a43-2f1d5c6b7e80';

  it('is the hex HMAC-SHA256 of the instance id keyed with the shared secret', () => {
    expect(signInstanceId('metadatasecret123', id)).toBe(createHmac('sha256', 'metadatasecret123').update(id).digest('hex'));
    expect(signInstanceId('metadatasecret123', id)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies its own signature, in either case', () => {
    const sig = signInstanceId('s3cret', id);
    expect(verifyInstanceSignature('s3cret', id, sig)).toBe(true);
    expect(verifyInstanceSignature('s3cret', id, sig.toUpperCase())).toBe(true);
  });

  it('refuses another secret, another instance, a truncated, malformed or missing signature', () => {
    const sig = signInstanceId('s3cret', id);
    expect(verifyInstanceSignature('other', id, sig)).toBe(false);
    expect(verifyInstanceSignature('s3cret', 'another-instance', sig)).toBe(false);
    expect(verifyInstanceSignature('s3cret', id, sig.slice(0, 63))).toBe(false);
    expect(verifyInstanceSignature('s3cret', id, `${sig.slice(0, 63)}g`)).toBe(false);
    expect(verifyInstanceSignature('s3cret', id, undefined)).toBe(false);
    expect(verifyInstanceSignature('s3cret', id, '')).toBe(false);
  });
});

describe('metadataSharedSecret', () => {
  it('uses the configured secret, else one random secret per data dir, kept 0600', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-secret-'));
    expect(metadataSharedSecret(dir, 'given')).toBe('given');
    const a = metadataSharedSecret(dir, '');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(metadataSharedSecret(dir, '')).toBe(a);
    expect(fs.statSync(path.join(dir, 'metadata', 'shared_secret')).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true });
  });
});
