import 'reflect-metadata';
import { Command } from 'commander';

/**
 * The commands and the module that registers each. Only the one asked for is
 * loaded: `neutrino start` stays the suite's supervisor for as long as it
 * runs, and the audit, projection and test-bed code (NATS clients, the test
 * bed's netlink helpers) would only add to its resident set.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, () => (program: Command) => void> = {
  start: () => require('./commands/start').registerStart,
  audit: () => require('./commands/audit').registerAudit,
  projection: () => require('./commands/projection').registerProjection,
  log: () => require('./commands/log').registerLog,
  config: () => require('./commands/config').registerConfig,
  testbed: () => require('./commands/testbed').registerTestbed,
  wait: () => require('./commands/wait').registerWait,
  events: () => require('./commands/events').registerEvents,
/* eslint-enable @typescript-eslint/no-require-imports */
};

/** neutrino: the one entry point for operator tasks. */
const program = new Command('neutrino').description('Neutrino operator CLI: run the suite, read the audit trail, rebuild projections');
const asked = process.argv[2];
for (const [name, load] of Object.entries(COMMANDS)) if (!(asked in COMMANDS) || asked === name) load()(program);

program.parseAsync(process.argv).catch((err) => {
  console.error(`neutrino: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
