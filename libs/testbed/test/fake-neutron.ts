import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeSubnet {
  id: string;
  cidr: string;
  gateway_ip: string | null;
  ip_version: 4 | 6;
}

/**
 * A tiny stand-in for the Neutron API on 127.0.0.1: GET a network or subnet,
 * POST a port (MAC and fixed IP handed out in order), DELETE a port → 204.
 * Records every request for assertions.
 */
export class FakeNeutron {
  readonly requests: Array<{ method: string; url: string; body: any }> = [];
  readonly ports = new Map<string, any>();
  url = '';
  private server!: http.Server;
  private next = 0;

  constructor(
    readonly network: { id: string; mtu: number },
    readonly subnet: FakeSubnet,
    /** Host part of the addresses handed out: .<firstHost>, .<firstHost + 1>, … */
    private readonly firstHost = 23,
  ) {}

  static async start(opts: { mtu?: number; cidr?: string; gateway?: string | null; firstHost?: number } = {}): Promise<FakeNeutron> {
    const cidr = opts.cidr ?? '10.99.0.0/24';
    const gateway = opts.gateway === undefined ? cidr.replace(/0\/\d+$/, '1') : opts.gateway;
    const fake = new FakeNeutron({ id: randomUUID(), mtu: opts.mtu ?? 1450 }, { id: randomUUID(), cidr, gateway_ip: gateway, ip_version: 4 }, opts.firstHost);
    fake.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => fake.answer(req.method ?? 'GET', req.url ?? '/', raw ? JSON.parse(raw) : null, res));
    });
    await new Promise<void>((r) => fake.server.listen(0, '127.0.0.1', r));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The MAC and IP the next POST /v2.0/ports will hand out. */
  peekNext(): { mac: string; ip: string } {
    const n = this.next;
    const base = this.subnet.cidr.split('/')[0].split('.').slice(0, 3).join('.');
    const hex = (v: number) => v.toString(16).padStart(2, '0');
    return { mac: `fa:16:3e:00:${hex(0x10 + n)}:${hex(this.firstHost + n)}`, ip: `${base}.${this.firstHost + n}` };
  }

  private answer(method: string, url: string, body: any, res: http.ServerResponse): void {
    this.requests.push({ method, url, body });
    const send = (status: number, value?: unknown) => {
      res.writeHead(status, value === undefined ? {} : { 'content-type': 'application/json' });
      res.end(value === undefined ? undefined : JSON.stringify(value));
    };
    const id = url.split('/').pop() ?? '';
    if (method === 'GET' && url === `/v2.0/networks/${this.network.id}`) return send(200, { network: { ...this.network, status: 'ACTIVE' } });
    if (method === 'GET' && url === `/v2.0/subnets/${this.subnet.id}`) return send(200, { subnet: { ...this.subnet, network_id: this.network.id } });
    if (method === 'POST' && url === '/v2.0/ports') {
      const { mac, ip } = this.peekNext();
      this.next++;
      const port = { ...body.port, id: randomUUID(), mac_address: mac, fixed_ips: [{ subnet_id: this.subnet.id, ip_address: ip }], status: 'DOWN' };
      this.ports.set(port.id, port);
      return send(201, { port });
    }
    if (method === 'DELETE' && url.startsWith('/v2.0/ports/')) {
      if (!this.ports.delete(id)) return send(404, { NeutronError: { type: 'PortNotFound', message: `Port ${id} could not be found.`, detail: '' } });
      return send(204);
    }
    send(404, { NeutronError: { type: 'HTTPNotFound', message: `no route ${method} ${url}`, detail: '' } });
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server.close(r));
  }
}
