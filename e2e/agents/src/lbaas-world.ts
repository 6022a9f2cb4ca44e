import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The pieces of the load-balancing end-to-end: a member's servers, and
 * clients that count who answered. Every process is started here and killed
 * by its PID (the `ip netns exec` process execs into python3, so the PID is
 * the server's).
 */

export interface Served {
  pid: number;
  stop(): void;
}

const started = new Set<ChildProcess>();

/** Kills every server and client this file started and that still runs (afterAll). */
export function stopAll(): void {
  for (const c of started) if (c.pid && c.exitCode === null && c.signalCode === null) process.kill(c.pid, 'SIGKILL');
  started.clear();
}

function run(netns: string, code: string): ChildProcess {
  const child = spawn('ip', ['netns', 'exec', netns, 'python3', '-u', '-c', code], { stdio: ['pipe', 'pipe', 'ignore'] });
  started.add(child);
  child.on('exit', () => started.delete(child));
  return child;
}

/**
 * A member: HTTP on `httpPort` answering its name, and TCP on `tcpPort`
 * that sends its name and a newline, then echoes what it gets until closed.
 */
export function memberServers(netns: string, name: string, httpPort = 80, tcpPort = 2222): Served {
  const code = `
import socket, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def do_GET(self):
        body = b'${name}'
        self.send_response(200); self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
def tcp():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(('0.0.0.0', ${tcpPort})); s.listen(64)
    def echo(c):
        try:
            c.sendall(b'${name}\\n')
            while True:
                d = c.recv(100)
                if not d: break
                c.sendall(d)
        except Exception: pass
        finally: c.close()
    while True:
        c, _ = s.accept(); threading.Thread(target=echo, args=(c,), daemon=True).start()
threading.Thread(target=tcp, daemon=True).start()
ThreadingHTTPServer(('0.0.0.0', ${httpPort}), H).serve_forever()
`;
  const child = run(netns, code);
  return { pid: child.pid!, stop: () => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL') };
}

/** `n` HTTP GETs on new connections from a namespace: how many answers each body got (`error` for failures). */
export function httpCounts(netns: string, url: string, n: number, timeoutS = 2): Promise<Record<string, number>> {
  const code = `
import json, urllib.request
counts = {}
for i in range(${n}):
    try:
        body = urllib.request.urlopen('${url}', timeout=${timeoutS}).read().decode().strip()
    except Exception as e:
        body = 'error'
    counts[body] = counts.get(body, 0) + 1
print(json.dumps(counts))
`;
  return new Promise((resolve, reject) => {
    const child = run(netns, code);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.on('close', () => {
      try {
        resolve(JSON.parse(out.trim()) as Record<string, number>);
      } catch {
        reject(new Error(`httpCounts: no answer (${out})`));
      }
    });
  });
}

/**
 * A TCP connection held open through the VIP: `name` is the member's first
 * line; roundTrip() says whether one byte still comes back.
 */
export function holdTcp(netns: string, ip: string, port: number) {
  const code = `
import socket, sys
s = socket.socket(); s.settimeout(3); s.connect(('${ip}', ${port}))
f = s.makefile('rb')
print('name ' + f.readline().decode().strip(), flush=True)
for line in sys.stdin:
    try:
        s.sendall(b'x'); print('ok' if s.recv(1) == b'x' else 'bad', flush=True)
    except Exception:
        print('lost', flush=True)
`;
  const child = run(netns, code);
  const lines: string[] = [];
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  const next = async (before: number) => {
    const deadline = Date.now() + 5000;
    while (lines.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return lines[before];
  };
  return {
    name: async () => {
      const line = lines[0] ?? (await next(0));
      return line?.startsWith('name ') ? line.slice(5) : '';
    },
    roundTrip: async () => {
      const before = lines.length;
      child.stdin!.write('go\n');
      return (await next(before)) === 'ok';
    },
    close: () => {
      child.stdin!.end();
      if (child.pid && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
    },
  };
}
