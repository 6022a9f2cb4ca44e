import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

/*
 * The module boundaries of eslint.config.mjs fail lint: each case lints one
 * import, as a file of the project named, with the workspace's own config and
 * expects (or not) @nx/enforce-module-boundaries' error. ESLint runs in a child
 * process (its flat config is an ES module, which jest's VM cannot load), all
 * cases in one run.
 */
const root = path.resolve(__dirname, '../../..');
const RULE = '@nx/enforce-module-boundaries';
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };

interface Message { ruleId: string | null; severity: number; fatal?: boolean; message: string }
const LINT = `
  import { ESLint } from 'eslint';
  const cases = JSON.parse(await new Promise((ok) => { let s = ''; process.stdin.on('data', (d) => (s += d)).on('end', () => ok(s)); }));
  const eslint = new ESLint({ cwd: process.cwd() });
  const out = [];
  for (const c of cases) out.push((await eslint.lintText(c.code, { filePath: c.filePath }))[0].messages);
  process.stdout.write(JSON.stringify(out));
`;

function lintAll(cases: Array<{ file: string; code: string }>): Message[][] {
  // the rule reads Nx's cached project graph, and skips itself (a warning) without one
  execFileSync('npx', ['nx', 'show', 'projects'], { cwd: root, env, stdio: 'ignore' });
  const input = JSON.stringify(cases.map((c) => ({ code: c.code, filePath: path.join(root, c.file) })));
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', LINT], { cwd: root, env, input, maxBuffer: 1 << 26 }).toString());
}

function boundaryErrors(messages: Message[]): string[] {
  expect(messages.filter((m) => m.fatal)).toEqual([]); // it parsed
  expect(messages.filter((m) => m.ruleId === RULE && m.severity === 1)).toEqual([]); // no "rule skipped" warning
  return messages.filter((m) => m.ruleId === RULE && m.severity === 2).map((m) => m.message);
}

const use = (spec: string, name: string) => `import { ${name} } from '${spec}';\nexport const x = ${name};\n`;

const FORBIDDEN: Array<[string, string, string, RegExp]> = [
  ['the dataplane imports events', 'libs/dataplane/src/boundary-fixture.ts', use('@neutrino/events', 'EventStore'), /"scope:dataplane" can only depend on libs tagged with "scope:dataplane", "scope:shared"/],
  ['the dataplane imports process (which uses NATS)', 'libs/dataplane/src/boundary-fixture.ts', use('@neutrino/process', 'waitForJetStream'), /"scope:dataplane" can only depend/],
  ['the dataplane imports NATS', 'libs/dataplane/src/boundary-fixture.ts', use('nats', 'connect'), /"scope:dataplane" is not allowed to import "nats"/],
  ['the domain imports config', 'libs/domain/src/boundary-fixture.ts', use('@neutrino/config', 'loadSettings'), /"type:domain" can only depend on libs tagged with "scope:shared"/],
  ['the domain imports events', 'libs/domain/src/boundary-fixture.ts', use('@neutrino/events', 'EventStore'), /"type:domain" can only depend on libs tagged with "scope:shared"/],
  ['events imports the domain', 'libs/events/src/boundary-fixture.ts', use('@neutrino/domain', 'evolvePort'), /"scope:messaging" can only depend on libs tagged with "scope:messaging", "scope:platform"/],
  ['events imports Neutron names', 'libs/events/src/boundary-fixture.ts', use('@neutrino/naming', 'tapName'), /"scope:messaging" can only depend on libs tagged with "scope:messaging", "scope:platform"/],
  ['the dataplane imports the domain', 'libs/dataplane/src/boundary-fixture.ts', use('@neutrino/domain', 'evolvePort'), /"scope:dataplane" can only depend/],
  ['the agent kit imports the gateway', 'libs/agent-kit/src/boundary-fixture.ts', use('../../../services/api-gateway/src/main', 'x'), /cannot be imported by a relative or absolute path/],
  ['an agent imports the gateway', 'services/l2-agent/src/boundary-fixture.ts', use('../../api-gateway/src/main', 'x'), /cannot be imported by a relative or absolute path/],
];
const ALLOWED: Array<[string, string, string]> = [
  ['the domain imports netaddr and naming', 'libs/domain/src/boundary-fixture.ts', use('@neutrino/netaddr', 'parseCidr') + use('@neutrino/naming', 'tapName').replace('const x', 'const y')],
  ['the dataplane imports netaddr', 'libs/dataplane/src/boundary-fixture.ts', use('@neutrino/netaddr', 'normCidr')],
  ['the agent kit imports the domain\'s agent catalogue', 'libs/agent-kit/src/boundary-fixture.ts', use('@neutrino/domain', 'decideHaPortBinding')],
  ['an agent imports the dataplane and events', 'services/l2-agent/src/boundary-fixture.ts', use('@neutrino/dataplane', 'hostState') + use('@neutrino/events', 'EventStore').replace('const x', 'const y')],
];

let results: Message[][];
beforeAll(() => {
  results = lintAll([...FORBIDDEN, ...ALLOWED].map(([, file, code]) => ({ file, code })));
}, 300_000);

describe('lint fails on an import across a boundary', () => {
  it.each(FORBIDDEN.map((c, i) => [...c, i] as const))('%s', (_what, _file, _code, message, i) => {
    const errors = boundaryErrors(results[i]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(message);
  });
});

describe('and passes on the imports the architecture allows', () => {
  it.each(ALLOWED.map((c, i) => [...c, FORBIDDEN.length + i] as const))('%s', (_what, _file, _code, i) =>
    expect(boundaryErrors(results[i])).toEqual([]));
});
