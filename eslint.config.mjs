// Lint: the TypeScript rules plus Nx module boundaries. The tags in each
// project.json and the constraints below are the architecture's dependency rules:
// services -> libs; domain imports nothing of ours but the shared pure utils
// (netaddr); events does not know Neutron.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Tests may also use the test fixtures (libs/testing); production code may not.
const constraints = (testing) => [
  // domain may use the shared pure utils (netaddr) and nothing else of ours
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['scope:shared', ...(testing ? ['type:testing'] : [])] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', ...(testing ? ['type:testing'] : [])] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:util', 'type:infra', ...(testing ? ['type:testing'] : [])] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:infra', 'type:testing'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util', 'type:infra', ...(testing ? ['type:testing'] : [])] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util', 'type:infra', 'type:testing'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util', 'type:infra', 'type:testing'] },
];
const boundaries = (testing) => ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: constraints(testing) }];

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
    files: ['**/*.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': boundaries(true) },
  },
];
