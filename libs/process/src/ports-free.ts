import * as net from 'node:net';

export interface NeededPort {
  /** What needs it, e.g. `NEUTRINO_API_PORT`. */
  name: string;
  host: string;
  port: number;
}

const held = (p: NeededPort): Promise<boolean> =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'EADDRINUSE' || err.code === 'EACCES'));
    server.listen({ port: p.port, host: p.host, exclusive: true }, () => server.close(() => resolve(false)));
  });

/** The ports of `needed` that something else already listens on (port 0 = any, never held). */
export async function heldPorts(needed: NeededPort[]): Promise<NeededPort[]> {
  const out: NeededPort[] = [];
  for (const p of needed) if (p.port > 0 && (await held(p))) out.push(p);
  return out;
}

/** The sentence `neutrino start` refuses with. */
export const heldPortsMessage = (ports: NeededPort[]): string =>
  `neutrino: cannot start, ${ports.map((p) => `${p.host}:${p.port} (${p.name})`).join(', ')} ${ports.length > 1 ? 'are' : 'is'} already in use — ` +
  'is another `neutrino start` (or its leftover processes) running? Stop it, or choose other ports with these settings.';
