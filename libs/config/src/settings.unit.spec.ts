import * as fs from 'node:fs';
import * as path from 'node:path';
import { natsServers, parseRanges, parseVlanRanges, renderConfigurationDoc, setting } from './index';

describe('settings', () => {
  it('reads the environment and falls back to defaults', () => {
    expect(setting('apiPort', {})).toBe('9696');
    expect(setting('apiPort', { NEUTRINO_API_PORT: '9797' })).toBe('9797');
    expect(natsServers({})).toEqual(['nats://127.0.0.1:4222']);
    expect(natsServers({ NEUTRINO_NATS_URL: 'nats://a:1, nats://b:2' })).toEqual(['nats://a:1', 'nats://b:2']);
  });

  it('parses ML2 range syntax', () => {
    expect(parseRanges('1:1000,2000:2500')).toEqual([[1, 1000], [2000, 2500]]);
    expect(parseVlanRanges('physnet2:30:33,physnet2:51:55,physnet3')).toEqual({ physnet2: [[30, 33], [51, 55]], physnet3: [] });
    expect(() => parseRanges('10:1')).toThrow(/invalid/);
  });

  it('docs/configuration.md lists every setting as the code defines it', () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../../docs/configuration.md'), 'utf8');
    expect(doc).toBe(renderConfigurationDoc());
  });
});
