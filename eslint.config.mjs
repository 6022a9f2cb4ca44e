// Lint: the TypeScript rules plus Nx module boundaries. The tags in each
// project.json and the constraints below are the architecture's dependency rules,
// on two axes. type: services -> libs, libs never depend on services. scope: what a
// project may know — domain (scope:neutron) imports nothing of ours but the shared
// pure utils (scope:shared: netaddr, naming); the dataplane imports neither events
// nor NATS; events (scope:messaging) does not know Neutron resources; agents do not
// import the gateway. tools/boundaries/src/boundaries.spec.ts shows lint failing on each.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Tests may also use the test fixtures (libs/testing); production code may not.
const constraints = (testing) => [
  // domain may use the shared pure utils (netaddr) and nothing else of ours
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['scope:shared', ...(testing ? ['type:testing'] : [])] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', ...(testing ? ['type:testing'] : [])] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:domain'] },
  // infra may use the domain's types where its scope allows it (the agent kit: the agent events'
  // catalogue); the scope axis keeps messaging and the dataplane away from the domain
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:util', 'type:infra', 'type:domain', ...(testing ? ['type:testing'] : [])] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:infra', 'type:testing'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util', 'type:infra', ...(testing ? ['type:testing'] : [])] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util', 'type:infra', 'type:testing'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util', 'type:infra', 'type:testing'] },
];
// The scope axis (every constraint whose sourceTag a project carries applies).
const NATS = ['nats', '@nats-io/*'];
const scopes = (testing) => {
  const t = testing ? ['scope:testing'] : [];
  return [
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
    { sourceTag: 'scope:neutron', onlyDependOnLibsWithTags: ['scope:neutron', 'scope:shared', ...t] },
    { sourceTag: 'scope:dataplane', onlyDependOnLibsWithTags: ['scope:dataplane', 'scope:shared', ...t], bannedExternalImports: NATS },
    { sourceTag: 'scope:messaging', onlyDependOnLibsWithTags: ['scope:messaging', 'scope:platform', ...t] },
    { sourceTag: 'scope:platform', onlyDependOnLibsWithTags: ['scope:platform', ...t] },
    { sourceTag: 'scope:agent', notDependOnLibsWithTags: ['scope:gateway', 'scope:ipam', 'scope:metadata'] },
  ];
};
const boundaries = (testing) => ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: [...constraints(testing), ...scopes(testing)] }];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': boundaries(false),
    },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(true) },
  },
];
