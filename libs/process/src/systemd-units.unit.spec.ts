import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { SETTINGS } from '@neutrino/config';
import { loadEntrypoints } from './entrypoints';

/**
 * infra/ (issue 14, done-when 5): the systemd units start the processes the launchers start, pass
 * `systemd-analyze verify`, and the example environment files set only settings that exist.
 */
const root = path.resolve(__dirname, '../../..');
const units = path.join(root, 'infra/systemd');
const unitFiles = fs.readdirSync(units).filter((f) => f.endsWith('.service') || f.endsWith('.target')).sort();
const read = (f: string) => fs.readFileSync(path.join(units, f), 'utf8');
const field = (text: string, key: string) => text.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));

describe('infra/systemd', () => {
  it('has a unit for nats-server and for every service and agent of the suite, each starting that entry point', () => {
    const e = loadEntrypoints() as ReturnType<typeof loadEntrypoints> & { services: Record<string, string> };
    const distOf = (p: string) => path.relative(root, p);
    for (const [name, entry] of Object.entries(e.services)) {
      const file = `neutrino-${name}.service`;
      expect(unitFiles).toContain(file);
      const [exec] = field(read(file), 'ExecStart');
      expect(exec).toBe(`/usr/bin/env node -r /opt/neutrino/tools/runtime/register-paths.js /opt/neutrino/${distOf(entry)}`);
      expect(field(read(file), 'Environment')).toContain(`NEUTRINO_DATA_DIR=/var/lib/neutrino/${name}`);
      expect(field(read(file), 'StateDirectory')).toEqual([`neutrino/${name}`]);
    }
    expect(unitFiles).toEqual(expect.arrayContaining(['neutrino-nats.service', 'neutrino.target']));
    expect(unitFiles).toHaveLength(Object.keys(e.services).length + 2);
  });

  it('passes systemd-analyze verify', () => {
    let analyze = '';
    try {
      analyze = execFileSync('sh', ['-c', 'command -v systemd-analyze'], { encoding: 'utf8' }).trim();
    } catch {
      /* not installed */
    }
    if (!analyze && process.env.CI) throw new Error('CI must have systemd-analyze (systemd)');
    if (!analyze) return console.warn('systemd-analyze missing: unit verification skipped');
    // verify exits non-zero on errors and warns on stderr (an unknown key, a missing command); a clean run prints nothing
    const r = spawnSync(analyze, ['verify', ...unitFiles.map((f) => path.join(units, f))], { encoding: 'utf8' });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });
});

describe('infra/env', () => {
  it('sets only settings of the configuration reference (and the NATS node variables cluster.conf reads)', () => {
    const known = new Set<string>(Object.values(SETTINGS).map((s) => s.env));
    const cluster = fs.readFileSync(path.join(root, 'infra/nats/cluster.conf'), 'utf8');
    for (const v of cluster.matchAll(/\$(NEUTRINO_NATS_[A-Z_]+)/g)) known.add(v[1]);
    const dir = path.join(root, 'infra/env');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.env'));
    expect(files.sort()).toEqual(['compute.env', 'controller.env', 'nats.env', 'network.env', 'neutrino.env']);
    for (const f of files) {
      for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
        const m = /^#?\s*(NEUTRINO_[A-Z_0-9]+)=/.exec(line);
        if (m) expect({ file: f, name: m[1], known: known.has(m[1]) }).toEqual({ file: f, name: m[1], known: true });
      }
    }
  });
});
