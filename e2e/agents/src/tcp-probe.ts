import { spawn } from 'node:child_process';
import type { TestbedFixture } from '@neutrino/testbed';

/** A TCP echo server inside an instance (python3, stopped when the test bed goes or after `seconds`). */
export function serveTcp(bed: TestbedFixture, instance: string, port: number, seconds = 120): void {
  const code = `
import socket, threading
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('0.0.0.0', ${port})); s.listen(16)
def echo(c):
    while True:
        d = c.recv(100)
        if not d: break
        c.sendall(d)
while True:
    c, _ = s.accept(); threading.Thread(target=echo, args=(c,), daemon=True).start()
`;
  void bed.exec(instance, ['timeout', String(seconds), 'python3', '-c', code], { timeoutMs: seconds * 1000 + 5000 });
}

/** Can instance open a TCP connection to ip:port (and get an echo back) within 2 s? */
export async function tcpOpen(bed: TestbedFixture, instance: string, ip: string, port: number, source?: string): Promise<boolean> {
  const code = `
import socket, sys
s = socket.socket(); s.settimeout(2)
${source ? `s.bind(('${source}', 0))` : ''}
try:
    s.connect(('${ip}', ${port})); s.sendall(b'ping'); sys.exit(0 if s.recv(4) == b'ping' else 1)
except Exception:
    sys.exit(1)
`;
  return (await bed.exec(instance, ['python3', '-c', code], { timeoutMs: 10_000 })).code === 0;
}

/**
 * An established connection kept open: `roundTrip()` sends a line and says
 * whether the echo came back within 2 s; `close()` ends it.
 */
export function heldConnection(bed: TestbedFixture, instance: string, ip: string, port: number) {
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
  const child = spawn('ip', ['netns', 'exec', bed.instance(instance).netns, 'python3', '-u', '-c', code], { stdio: ['pipe', 'pipe', 'ignore'] });
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
    connected: async () => (lines.includes('connected') ? true : (await next()) === 'connected'),
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
