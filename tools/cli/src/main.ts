import 'reflect-metadata';
import { Command } from 'commander';
import { registerAudit } from './commands/audit';
import { registerConfig } from './commands/config';
import { registerLog } from './commands/log';
import { registerProjection } from './commands/projection';
import { registerStart } from './commands/start';
import { registerTestbed } from './commands/testbed';

/** neutrino: the one entry point for operator tasks. */
const program = new Command('neutrino').description('Neutrino operator CLI: run the suite, read the audit trail, rebuild projections');
registerStart(program);
registerAudit(program);
registerProjection(program);
registerLog(program);
registerConfig(program);
registerTestbed(program);

program.parseAsync(process.argv).catch((err) => {
  console.error(`neutrino: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
