import { connect } from 'nats';
import { startNatsCluster, type NatsCluster } from '@neutrino/testing';
import { DEFAULT_STREAM, EventStore } from '../src';
import { ev, newId } from './helpers';

/**
 * The log on a 3-node JetStream cluster (infra/nats/cluster.conf, the stream
 * at R3): appends go on through the loss of the stream's leader (kill -9),
 * nothing acknowledged is lost, and the node that comes back catches up.
 */
describe('the event log on a 3-node cluster', () => {
  let cluster: NatsCluster;
  let store: EventStore;

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
    store = await EventStore.connect({ servers: cluster.urls, replicas: 3 });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
  });

  it('keeps every acknowledged append through a kill -9 of the stream leader, and the restarted node catches up', async () => {
    const id = newId();
    const acked: number[] = [];
    const append = async (n: number) => {
      const [stored] = await store.append([ev('thing', id, 'thing.counted', { n })]);
      acked.push(stored.seq);
    };
    for (let n = 0; n < 20; n++) await append(n);
    const leader = await cluster.leaderOf(DEFAULT_STREAM);
    await leader.down('SIGKILL');
    // a new leader is elected among the two left; the store's publish retries ride through the election
    for (let n = 20; n < 40; n++) await append(n);
    const events = await store.readSubject(`evt.thing.${id}`);
    expect(events.map((e) => (e.data as { n: number }).n)).toEqual([...Array(40).keys()]);
    expect(events.map((e) => e.seq)).toEqual(acked);

    await leader.restart({ signal: 'SIGKILL' });
    // the restarted node reports itself current in the stream's replica set
    const nc = await connect({ servers: cluster.urls });
    try {
      const jsm = await nc.jetstreamManager();
      const deadline = Date.now() + 20_000;
      for (;;) {
        const info = await jsm.streams.info(DEFAULT_STREAM);
        const peers = [info.cluster?.leader, ...(info.cluster?.replicas ?? []).filter((r) => r.current).map((r) => r.name)];
        if (info.config.num_replicas === 3 && new Set(peers).size === 3) break;
        if (Date.now() > deadline) throw new Error(`not caught up: ${JSON.stringify(info.cluster)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await nc.close();
    }
    // and serves the whole subject on its own
    const alone = await EventStore.connect({ servers: leader.url });
    try {
      expect((await alone.readSubject(`evt.thing.${id}`)).length).toBe(40);
    } finally {
      await alone.close();
    }
  }, 90_000);
});
