import type { ClientProxy } from '@nestjs/microservices';
import { NeutronError } from '@neutrino/domain';
import type { Metrics } from '@neutrino/observability';
import { firstValueFrom, timeout } from 'rxjs';

/**
 * "No responders": nobody subscribes to the subject at this moment — ipam is
 * (re)connecting, e.g. to another node of a NATS cluster whose node it was on
 * went away. Nobody received the request, so asking again is safe (unlike a
 * timeout, after which ipam may have allocated).
 */
const noResponders = (err: unknown): boolean => /no subscribers|no responders/i.test(String((err as { message?: string })?.message ?? ''));
/** How long a request keeps asking while nobody listens (ms). */
const NO_RESPONDERS_WINDOW_MS = 5_000;

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
      for (let wait = 25; ; wait = Math.min(wait * 2, 500)) {
        try {
          return await firstValueFrom(this.client.send<T>(pattern, payload).pipe(timeout(this.timeoutMs)));
        } catch (err) {
          if (!noResponders(err) || Number(process.hrtime.bigint() - t0) / 1e6 + wait > NO_RESPONDERS_WINDOW_MS) throw err;
          await new Promise((r) => setTimeout(r, wait));
        }
      }
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
