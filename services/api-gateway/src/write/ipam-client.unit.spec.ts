import type { ClientProxy } from '@nestjs/microservices';
import { NeutronError } from '@neutrino/domain';
import { Observable, throwError, of } from 'rxjs';
import { IpamClient } from './ipam-client';

/** A ClientProxy whose send() answers from a script: an Error to throw, or a value. */
function scripted(answers: Array<Error | object>): { client: ClientProxy; calls: () => number } {
  let n = 0;
  const client = {
    send: () => {
      const a = answers[Math.min(n++, answers.length - 1)];
      return (a instanceof Error ? throwError(() => a) : of(a)) as Observable<unknown>;
    },
  } as unknown as ClientProxy;
  return { client, calls: () => n };
}

describe('IpamClient', () => {
  it('asks again while nobody listens on the subject (ipam reconnecting), and answers what ipam then says', async () => {
    const noOne = () => new Error('Empty response. There are no subscribers listening to that message ("ipam.port.allocate")');
    const { client, calls } = scripted([noOne(), noOne(), { fixed_ips: [] }]);
    await expect(new IpamClient(client, 1000).call('ipam.port.allocate', {})).resolves.toEqual({ fixed_ips: [] });
    expect(calls()).toBe(3);
  });

  it('does not ask again after a timeout (ipam may have allocated): 503 at once', async () => {
    const timeout = Object.assign(new Error('Timeout has occurred'), { name: 'TimeoutError' });
    const { client, calls } = scripted([timeout, { fixed_ips: [] }]);
    const err = await new IpamClient(client, 1000).call('ipam.port.allocate', {}).catch((e) => e);
    expect(err).toBeInstanceOf(NeutronError);
    expect((err as NeutronError).status).toBe(503);
    expect(calls()).toBe(1);
  });
});
