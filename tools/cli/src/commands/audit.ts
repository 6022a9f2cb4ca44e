import type { Command } from 'commander';
import { intSetting, natsServers, setting } from '@neutrino/config';
import { EventStore } from '@neutrino/events';
import { auditMatches, formatAuditLine, type AuditFilter } from './audit-format';

/** `neutrino audit`: who changed what, when and in which request — read straight from the log. */
export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('list the events for a resource, a project or a request id, straight from the event log')
    .option('-r, --resource <id>', 'events of this resource (or that mention it, e.g. its address allocations)')
    .option('-p, --project <id>', 'events made by or owned by this project')
    .option('-q, --request-id <id>', 'events of one API request (X-Openstack-Request-Id)')
    .option('-t, --type <type>', 'event type or prefix, e.g. port or ip.allocated')
    .option('--json', 'one JSON event per line')
    .action(async (opts: AuditFilter & { json?: boolean }) => {
      const store = await EventStore.connect({ servers: natsServers(), stream: setting('stream'), replicas: intSetting('streamReplicas'), name: 'neutrino-audit' });
      let count = 0;
      try {
        await store.replay({ fromSeq: 1 }, (e) => {
          if (!auditMatches(e, opts)) return;
          count++;
          console.log(opts.json ? JSON.stringify(e) : formatAuditLine(e));
        });
      } finally {
        await store.close();
      }
      if (!opts.json) console.error(`${count} event(s)`);
    });
}
