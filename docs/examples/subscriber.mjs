// A subscriber outside the project: a JetStream durable consumer of Neutrino's
// event log, with only the `nats` npm package. It prints one JSON line per event
// (the envelope of docs/events.md plus its stream seq and subject) and acks it.
// Run: NATS_URL=nats://127.0.0.1:4222 node docs/examples/subscriber.mjs
// Env: STREAM (NEUTRINO), DURABLE (example-subscriber), FILTER (evt.>).
// Stopped (SIGINT/SIGTERM) and started again, it resumes after the last event it acked.
import { AckPolicy, DeliverPolicy, connect } from 'nats';

const stream = process.env.STREAM ?? 'NEUTRINO';
const durable = process.env.DURABLE ?? 'example-subscriber';
const nc = await connect({ servers: (process.env.NATS_URL ?? 'nats://127.0.0.1:4222').split(',') });
const jsm = await nc.jetstreamManager();
// Creating a durable that exists with the same config is a no-op: a restart resumes it.
await jsm.consumers.add(stream, {
  durable_name: durable,
  ack_policy: AckPolicy.Explicit,
  deliver_policy: DeliverPolicy.All,
  filter_subject: process.env.FILTER ?? 'evt.>',
  max_ack_pending: 1, // one at a time: redeliveries keep stream order
});
const messages = await (await nc.jetstream().consumers.get(stream, durable)).consume();
const stop = () => messages.close();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

let last = 0; // delivery is at-least-once: skip what was handled already
for await (const m of messages) {
  if (m.seq > last) {
    process.stdout.write(`${JSON.stringify({ seq: m.seq, subject: m.subject, ...m.json() })}\n`);
    last = m.seq;
  }
  await m.ackAck(); // confirmed by the server: a restart resumes after it
}
await nc.drain();
