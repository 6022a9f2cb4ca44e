// The controller process: ipam, the api-gateway and the metadata service in
// one Node process (what `neutrino start` runs by default; NEUTRINO_CONTROLLER
// =separate runs each in its own). One process holds one copy of the
// libraries they share (NestJS, Fastify, TypeORM with SQLite, the NATS
// client), ~50 MiB each (docs/benchmarks.md, "Memory of the suite").
// Started with `node -r register-paths.js [-r supervised.js] controller.js
// <service>...`; starts them in the order given, stops them in reverse on
// SIGTERM/SIGINT, then exits. A service that fails to start ends the process
// (the supervisor restarts it).
const entrypoints = require('./entrypoints');

const names = process.argv.slice(2);
const running = [];
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const { name, service } of running.reverse()) {
    try {
      await service.stop();
    } catch (err) {
      process.stderr.write(`controller: ${name} did not stop cleanly: ${err && err.stack ? err.stack : err}\n`);
      code = 1;
    }
  }
  process.exit(code);
}

process.once('SIGTERM', () => void stopAll(0));
process.once('SIGINT', () => void stopAll(0));

(async () => {
  if (!names.length) throw new Error('usage: controller.js <service>...');
  for (const name of names) {
    const entry = entrypoints.services[name];
    if (!entry) throw new Error(`controller: no service ${name}`);
    const service = await require(entry).start();
    running.push({ name, service });
    if (stopping) break;
  }
})().catch((err) => {
  process.stderr.write(`controller: ${err && err.stack ? err.stack : err}\n`);
  void stopAll(1);
});
