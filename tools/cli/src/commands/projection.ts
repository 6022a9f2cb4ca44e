import type { Command } from 'commander';
import { intSetting, natsServers, setting } from '@neutrino/config';
import { EventStore } from '@neutrino/events';
import { requestRebuild } from '@neutrino/projection';

const SERVICES = ['api-gateway'];

/** `neutrino projection rebuild <service>`: drop a read model and rebuild it from the log, online. */
export function registerProjection(program: Command): void {
  const projection = program.command('projection').description('read models kept from the event log');
  projection
    .command('rebuild <service>')
    .description(`drop a running service's projection and replay the whole log into it (services: ${SERVICES.join(', ')})`)
    .action(async (service: string) => {
      if (!SERVICES.includes(service)) throw new Error(`unknown service "${service}"; projections: ${SERVICES.join(', ')}`);
      const store = await EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: 'neutrino-cli' });
      try {
        const finals = await requestRebuild(store.connection, service, (m) => {
          if (m.phase === 'progress') process.stderr.write(`\r${service}[${m.pid}]: ${m.seq}/${m.head} events (${m.head ? Math.floor((100 * m.seq) / m.head) : 100}%)   `);
          if (m.phase === 'started') console.error(`${service}[${m.pid}]: dropping the projection and replaying the log`);
        });
        process.stderr.write('\n');
        if (!finals.length) throw new Error(`no running ${service} answered; start the suite (npm start) first`);
        for (const f of finals) {
          if (f.phase === 'failed') throw new Error(`${service}[${f.pid}] rebuild failed: ${f.error}`);
          console.log(`${service}[${f.pid}]: rebuilt up to sequence ${f.seq}`);
        }
      } finally {
        await store.close();
      }
    });
}
