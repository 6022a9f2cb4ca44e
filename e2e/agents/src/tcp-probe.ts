import type { TestbedFixture } from '@neutrino/testbed';
import { heldFrom } from './l3-world';

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

/** An established connection kept open from an instance (see heldFrom). */
export const heldConnection = (bed: TestbedFixture, instance: string, ip: string, port: number) => heldFrom(bed.instance(instance).netns, ip, port);
