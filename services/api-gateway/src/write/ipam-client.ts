import type { ClientProxy } from '@nestjs/microservices';
import { NeutronError } from '@neutrino/domain';
import type { Metrics } from '@neutrino/observability';
import { firstValueFrom, timeout } from 'rxjs';

/** Calls ipam over NATS request/reply; ipam's Neutron errors come back as NeutronError. */
export class IpamClient {
  constructor(
    private readonly client: ClientProxy,
    private readonly timeoutMs: number,
    private readonly metrics?: Metrics,
  ) {}

  async call<T>(pattern: string, payload: object): Promise<T> {
    const t0 = process.hrtime.bigint();
    let outcome = 'ok';
    try {
      return await firstValueFrom(this.client.send<T>(pattern, payload).pipe(timeout(this.timeoutMs)));
    } catch (err) {
      const fault = err as { status?: number; type?: string; message?: string; name?: string };
      if (fault?.status && fault.type) {
        outcome = fault.type;
        throw new NeutronError(fault.status, fault.type, fault.message ?? fault.type);
      }
      outcome = fault?.name === 'TimeoutError' ? 'timeout' : 'error';
      throw new NeutronError(503, 'ServiceUnavailable', `The address manager (ipam) did not answer ${pattern}: ${fault?.message ?? 'timeout'}. Try again.`);
    } finally {
      this.metrics?.rpcLatency.observe({ subject: pattern, outcome }, Number(process.hrtime.bigint() - t0) / 1e9);
    }
  }
}
