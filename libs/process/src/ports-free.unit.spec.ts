import * as net from 'node:net';
import { heldPorts, heldPortsMessage } from './ports-free';

describe('the ports neutrino start needs', () => {
  it('names the ones another process listens on, and only those', async () => {
    const other = net.createServer();
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    const busy = (other.address() as net.AddressInfo).port;
    const free = net.createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
    const freePort = (free.address() as net.AddressInfo).port;
    await new Promise((r) => free.close(r));
    try {
      const needed = [
        { name: 'NEUTRINO_API_PORT', host: '127.0.0.1', port: busy },
        { name: 'NEUTRINO_NATS_PORT', host: '127.0.0.1', port: freePort },
        { name: 'NEUTRINO_GATEWAY_METRICS_PORT', host: '127.0.0.1', port: 0 },
      ];
      const held = await heldPorts(needed);
      expect(held).toEqual([needed[0]]);
      expect(heldPortsMessage(held)).toBe(
        `neutrino: cannot start, 127.0.0.1:${busy} (NEUTRINO_API_PORT) is already in use — is another \`neutrino start\` (or its leftover processes) running? Stop it, or choose other ports with these settings.`,
      );
    } finally {
      await new Promise((r) => other.close(r));
    }
  });
});
