import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gatewayBackends, renderApiFront } from './gateway-front';

describe('the API front (infra/haproxy/api.cfg)', () => {
  it('puts a checked server line per gateway at the end of its backend, on the ports after the front', () => {
    const cfg = renderApiFront(gatewayBackends(9696, 2));
    expect(cfg.split('\n').filter((l) => l.startsWith('  server '))).toEqual(['  server gateway1 127.0.0.1:9697 check', '  server gateway2 127.0.0.1:9698 check']);
    expect(cfg.slice(cfg.indexOf('backend api-gateways'))).toContain('server gateway2');
  });

  it('is a config HAProxy accepts', () => {
    const bin = fs.existsSync('/usr/sbin/haproxy') ? '/usr/sbin/haproxy' : 'haproxy';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-front-'));
    try {
      const file = path.join(dir, 'haproxy.cfg');
      fs.writeFileSync(file, renderApiFront(gatewayBackends(19696, 3)));
      const out = execFileSync(bin, ['-c', '-f', file], { env: { ...process.env, NEUTRINO_API_FRONT_BIND: '127.0.0.1:19696' }, encoding: 'utf8' });
      expect(out).toMatch(/Configuration file is valid/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a template whose last section is not the backend (the server lines would land elsewhere)', () => {
    expect(() => renderApiFront([], 'backend api-gateways\n  balance roundrobin\nfrontend x\n')).toThrow(/last section/);
    expect(() => renderApiFront([], 'frontend x\n')).toThrow(/last section/);
    expect(renderApiFront([{ name: 'g', host: 'h', port: 1 }], 'frontend x\nbackend api-gateways\n  balance roundrobin\n')).toMatch(/balance roundrobin\n  server g h:1 check\n$/);
  });
});
