import type { Command } from 'commander';
import { intSetting, natsServers, parseList, setting } from '@neutrino/config';
import { EventStore } from '@neutrino/events';

const connect = () => EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: 'neutrino-log' });

/** `neutrino log status|compact`: the stream, its snapshots and archive; the retention rule on demand. */
export function registerLog(program: Command): void {
  const log = program.command('log').description('the event log: its size, snapshots and archive; apply the retention rule');
  log
    .command('status')
    .description('stream sequences and size, every snapshot\'s sequence, the archived range')
    .action(async () => {
      const store = await connect();
      try {
        const s = await store.streamState();
        console.log(`stream ${store.stream}: seq ${s.firstSeq}..${s.lastSeq}, ${s.messages} messages, ${s.bytes} bytes`);
        console.log(`archived: 1..${await store.archivedSeq()}`);
        for (const snap of await store.listSnapshots()) console.log(`snapshot ${snap.name}: seq ${snap.seq}`);
      } finally {
        await store.close();
      }
    });
  log
    .command('compact')
    .description('archive what every snapshot covers, then trim it from the stream (each subject keeps its last message)')
    .action(async () => {
      const store = await connect();
      try {
        const r = await store.compact({ keepEvents: intSetting('logKeepEvents'), requiredSnapshots: parseList(setting('logRequiredSnapshots')), finalTypes: parseList(setting('logFinalEvents')) });
        console.log(r.skipped && !r.archived ? `nothing done: ${r.skipped}` : `archived ${r.from}..${r.to} (${r.archived} events), trimmed ${r.purged} messages of ${r.subjects} subjects${r.skipped ? ` (${r.skipped})` : ''}`);
      } finally {
        await store.close();
      }
    });
}
