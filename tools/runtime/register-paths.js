// Lets compiled code under dist/ resolve the workspace's @neutrino/* imports
// (tsconfig paths) at run time: node -r ./tools/runtime/register-paths.js dist/...
const path = require('node:path');
const tsconfigPaths = require('tsconfig-paths');
const { compilerOptions } = require('../../tsconfig.base.json');

const root = path.resolve(__dirname, '../..');
const paths = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  paths[alias] = [target.replace(/\.ts$/, '')];
}
tsconfigPaths.register({ baseUrl: path.join(root, 'dist'), paths, addMatchAll: false });
