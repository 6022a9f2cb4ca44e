import { apiAuthFromEnv, fetchWithAuth, type ApiAuth } from '@neutrino/identity';
import type { FixedIp } from './state';

export interface NeutronPort {
  id: string;
  mac_address: string;
  network_id: string;
  fixed_ips: FixedIp[];
  [k: string]: unknown;
}

export interface NeutronSubnet {
  id: string;
  cidr: string;
  ip_version: 4 | 6;
  gateway_ip: string | null;
  [k: string]: unknown;
}

export interface NeutronNetwork {
  id: string;
  mtu?: number;
  [k: string]: unknown;
}

/**
 * The few Neutron v2.0 calls a hypervisor makes, as admin (noauth: no
 * identity headers means admin; pass headers to act otherwise). With
 * NEUTRINO_AUTH_STRATEGY=keystone in this process's environment (or `auth`),
 * as the service user, with its token.
 */
export class NeutronClient {
  constructor(
    readonly baseUrl: string,
    private readonly opts: { headers?: Record<string, string>; timeoutMs?: number; auth?: ApiAuth } = {},
  ) {
    this.auth = opts.auth ?? apiAuthFromEnv();
  }

  private readonly auth: ApiAuth;

  async getNetwork(id: string): Promise<NeutronNetwork> {
    return (await this.call('GET', `/v2.0/networks/${id}`)).network;
  }

  async getSubnet(id: string): Promise<NeutronSubnet> {
    return (await this.call('GET', `/v2.0/subnets/${id}`)).subnet;
  }

  async createPort(port: Record<string, unknown>): Promise<NeutronPort> {
    return (await this.call('POST', '/v2.0/ports', { port })).port;
  }

  /** Deletes a port; one that is already gone is fine. */
  async deletePort(id: string): Promise<void> {
    await this.call('DELETE', `/v2.0/ports/${id}`, undefined, [404]);
  }

  private async call(method: string, url: string, body?: unknown, okStatuses: number[] = []): Promise<any> {
    const res = await fetchWithAuth(this.auth, `${this.baseUrl.replace(/\/$/, '')}${url}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...this.opts.headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000),
    });
    const text = await res.text();
    if (!res.ok && !okStatuses.includes(res.status)) {
      let detail = text.slice(0, 300);
      try {
        detail = JSON.parse(text).NeutronError?.message ?? detail;
      } catch {
        /* not JSON */
      }
      throw new Error(`${method} ${url}: ${res.status} ${detail}`);
    }
    return text ? JSON.parse(text) : null;
  }
}
