import nx from '@nx/eslint-plugin';

// Module boundaries on three axes (as in twenty):
// - type: services, tools, tests and the portal import libs, never each other; libs never import apps;
// - platform: a browser project imports only browser or shared (platform-neutral) libs, a node project node or
//   shared ones, a shared lib only shared ones;
// - layer: domain libs import only domain libs; production code (infrastructure libs, services, tools, the portal)
//   never imports a testing lib. Test files (below) may import testing libs from any layer.
const typeConstraints = [
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
];
const platformConstraints = [
  { sourceTag: 'platform:browser', onlyDependOnLibsWithTags: ['platform:browser', 'platform:shared'] },
  { sourceTag: 'platform:node', onlyDependOnLibsWithTags: ['platform:node', 'platform:shared'] },
  { sourceTag: 'platform:shared', onlyDependOnLibsWithTags: ['platform:shared'] },
];
const productionLayers = [
  { sourceTag: 'layer:domain', onlyDependOnLibsWithTags: ['layer:domain'] },
  { sourceTag: 'layer:infrastructure', onlyDependOnLibsWithTags: ['layer:domain', 'layer:infrastructure'] },
  { sourceTag: 'layer:testing', onlyDependOnLibsWithTags: ['layer:domain', 'layer:infrastructure', 'layer:testing'] },
];
const testLayers = ['layer:domain', 'layer:infrastructure', 'layer:testing'].map((sourceTag) => ({
  sourceTag,
  onlyDependOnLibsWithTags: ['layer:domain', 'layer:infrastructure', 'layer:testing'],
}));
const boundaries = (layers) => [
  'error',
  {
    enforceBuildableLibDependency: true,
    allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
    depConstraints: [...typeConstraints, ...platformConstraints, ...layers],
  },
];
/** Test code: specs, test harnesses and fixtures (`testing/`, `test/` folders), jest set-up files. */
const testFiles = [
  '**/*.spec.ts',
  '**/*.test.ts',
  '**/*.integration-spec.ts',
  '**/testing/**',
  '**/test/**',
  '**/jest.setup.*',
  '**/test-setup.ts',
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: ['**/dist', '**/out-tsc'],
  },
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.jsx'],
    rules: { '@nx/enforce-module-boundaries': boundaries(productionLayers) },
  },
  {
    files: testFiles,
    rules: { '@nx/enforce-module-boundaries': boundaries(testLayers) },
  },
  {
    files: [
      '**/*.ts',
      '**/*.tsx',
      '**/*.cts',
      '**/*.mts',
      '**/*.js',
      '**/*.jsx',
      '**/*.cjs',
      '**/*.mjs',
    ],
    // Override or add rules here
    rules: {},
  },
];
