import { createServer } from 'node:net';

/**
 * Asks the kernel for a currently unused TCP port on the loopback interface.
 * The port is released before returning, so a small race with other processes
 * remains; callers that spawn a server should retry on "address in use".
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen({ port: 0, host, exclusive: true }, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/** A port p such that p … p+count-1 are all unused now (for a front and its backends on consecutive ports). */
export async function freePortRun(count: number, host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = await freePort(host);
    if (first + count - 1 > 65535) continue;
    let free = true;
    for (let p = first + 1; p < first + count && free; p++) free = await portFree(p, host);
    if (free) return first;
  }
  throw new Error(`no run of ${count} free ports on ${host}`);
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}
