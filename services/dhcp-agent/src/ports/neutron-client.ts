import type { FixedIp, Port } from '@neutrino/domain';
import { fetchWithAuth, NOAUTH, type ApiAuth } from '@neutrino/identity';

/** The few Neutron API calls the DHCP agent makes, as admin (noauth: no identity headers; keystone: the service user's token). */
export interface PortsApi {
  createPort(port: Record<string, unknown>): Promise<Port>;
  updatePort(id: string, changes: { fixed_ips: Array<Partial<FixedIp>> }): Promise<Port>;
  /** A port that is already gone is not an error. */
  deletePort(id: string): Promise<void>;
}

export class NeutronApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** PortsApi over HTTP with fetch. */
export class NeutronClient implements PortsApi {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
    private readonly auth: ApiAuth = NOAUTH,
  ) {}

  async createPort(port: Record<string, unknown>): Promise<Port> {
    return (await this.call('POST', '/v2.0/ports', { port }, [201])).port;
  }

  async updatePort(id: string, changes: { fixed_ips: Array<Partial<FixedIp>> }): Promise<Port> {
    return (await this.call('PUT', `/v2.0/ports/${id}`, { port: changes }, [200])).port;
  }

  async deletePort(id: string): Promise<void> {
    await this.call('DELETE', `/v2.0/ports/${id}`, undefined, [204, 404]);
  }

  private async call(method: string, url: string, body: unknown, ok: number[]): Promise<any> {
    const res = await fetchWithAuth(this.auth, `${this.baseUrl}${url}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    if (!ok.includes(res.status)) {
      let message = text;
      try {
        message = JSON.parse(text).NeutronError?.message ?? text;
      } catch {
        /* not JSON */
      }
      throw new NeutronApiError(res.status, `${method} ${url}: ${res.status} ${message}`);
    }
    return text ? JSON.parse(text) : undefined;
  }
}
