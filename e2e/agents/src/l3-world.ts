import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { TestbedFixture, suiteAgents, type HostInfo, type HostSpec } from '@neutrino/testbed';
import { SuiteFixture } from '@neutrino/testing-suite';

/** Suite + test bed where network hosts also run the l3-agent (hosts as given; `env`: more settings of every agent, `suiteEnv` of the controller's services). */
export async function startL3World(hosts?: HostSpec[], env: Record<string, string> = {}, suiteEnv: Record<string, string> = {}) {
  const fx = await SuiteFixture.start({ env: suiteEnv });
  const perHost = (h: HostInfo) => (h.network ? ['l2-agent', 'l3-agent'] : ['l2-agent']);
  let bed: TestbedFixture | undefined;
  try {
    bed = await TestbedFixture.create({
      apiUrl: fx.suite.apiUrl,
      ...(hosts ? { hosts } : {}),
      agents: suiteAgents(fx.nats.url, fx.dataDir, perHost, { NEUTRINO_LOG_LEVEL: 'info', NEUTRINO_AGENT_RESYNC_INTERVAL_MS: '2000', ...env }),
    });
  } catch (err) {
    await fx.stop();
    throw err;
  }
  const logs = (filter = '') => {
    const dir = `${bed!.dir.dir}/logs`;
    // the periodic resyncs that changed nothing would fill the tail: left out
    const quiet = (line: string) => !/"reason":"resync","changes":0,/.test(line);
    for (const f of fs.readdirSync(dir).filter((x) => x.includes(filter))) {
      console.error(`--- ${f}\n${fs.readFileSync(`${dir}/${f}`, 'utf8').split('\n').filter(quiet).join('\n').slice(-6000)}`);
    }
  };
  return { fx, bed, logs, stop: async () => (await bed?.dispose(), await fx.stop()) };
}

/** A TCP server in a namespace that answers every connection with `<name> <peer address>` (who am I, who are you). */
export function whoamiServer(netns: string, ip: string, port: number, name: string, seconds = 170): void {
  const code = `
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('${ip}', ${port})); s.listen(16)
while True:
    c, a = s.accept()
    try: c.sendall(('${name} ' + a[0] + '\\n').encode())
    finally: c.close()
`;
  const child = spawn('ip', ['netns', 'exec', netns, 'timeout', String(seconds), 'python3', '-c', code], { stdio: 'ignore' });
  child.unref();
}

/** Connect from a namespace and read the answer (empty when unreachable within 2 s). */
export function whoami(netns: string, ip: string, port: number): Promise<string> {
  const code = `
import socket, sys
s = socket.socket(); s.settimeout(2)
try:
    s.connect(('${ip}', ${port})); print(s.recv(100).decode().strip())
except Exception:
    print('')
`;
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', netns, 'python3', '-c', code], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => resolve(out.trim()));
  });
}

/** An echo connection held open from a namespace: roundTrip() says whether a byte came back within 2 s. */
export function heldFrom(netns: string, ip: string, port: number) {
  const code = `
import socket, sys
s = socket.socket(); s.settimeout(2); s.connect(('${ip}', ${port}))
print('connected', flush=True)
for line in sys.stdin:
    try:
        s.sendall(b'x'); print('ok' if s.recv(1) == b'x' else 'bad', flush=True)
    except Exception:
        print('lost', flush=True)
`;
  const child = spawn('ip', ['netns', 'exec', netns, 'python3', '-u', '-c', code], { stdio: ['pipe', 'pipe', 'ignore'] });
  const lines: string[] = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  const next = async () => {
    const before = lines.length;
    const deadline = Date.now() + 5000;
    while (lines.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return lines[lines.length - 1];
  };
  return {
    connected: async () => lines.includes('connected') || (await next()) === 'connected',
    roundTrip: async () => {
      child.stdin.write('go\n');
      return (await next()) === 'ok';
    },
    close: () => {
      child.stdin.end();
      if (child.pid && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    },
  };
}
