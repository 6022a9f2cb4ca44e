import { connect } from 'nats';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until a client can connect to url (one server, or a cluster's list) and the JetStream API answers (in a cluster: a meta leader is elected). */
export async function waitForJetStream(url: string | string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    try {
      const nc = await connect({ servers: typeof url === 'string' ? url.split(',') : url, reconnect: false, timeout: 1000 });
      try {
        await (await nc.jetstreamManager({ timeout: 1000 })).getAccountInfo();
        return;
      } finally {
        await nc.close();
      }
    } catch (err) {
      lastErr = err;
      await sleep(25);
    }
  }
  throw new Error(`nats-server at ${url} not ready after ${timeoutMs} ms: ${String(lastErr)}`);
}
