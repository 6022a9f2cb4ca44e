import { SETTINGS } from './settings';

/** The configuration reference page, rendered from SETTINGS. */
export function renderConfigurationDoc(): string {
  const rows = Object.values(SETTINGS).map(
    (s) => `| \`${s.env}\` | ${s.default === '' ? '(empty)' : `\`${s.default}\``} | ${s.description} |`,
  );
  return [
    '# Configuration reference',
    '',
    'Every Neutrino process reads its settings from the environment. Each setting has a',
    'default that runs the whole suite on one machine. This page is generated from',
    '`libs/config/src/settings.ts` (`npx neutrino config docs > docs/configuration.md`);',
    'a unit test fails when the two disagree.',
    '',
    '| Variable | Default | Meaning |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
