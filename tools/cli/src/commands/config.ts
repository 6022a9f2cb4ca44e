import type { Command } from 'commander';
import { renderConfigurationDoc } from '@neutrino/config';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('configuration reference');
  config
    .command('docs')
    .description('print docs/configuration.md (every setting, its variable and default)')
    .action(() => {
      process.stdout.write(renderConfigurationDoc());
    });
}
