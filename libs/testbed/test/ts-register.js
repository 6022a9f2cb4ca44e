// Lets a plain `node` child process run the library's TypeScript sources, as
// jest does (SWC), with the workspace's @neutrino/* paths: used by the crash
// test, whose child must be a real process that can be SIGKILLed.
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');
const tsconfigPaths = require('tsconfig-paths');

const root = path.resolve(__dirname, '../../..');
const { compilerOptions } = require(path.join(root, 'tsconfig.base.json'));
tsconfigPaths.register({ baseUrl: root, paths: compilerOptions.paths, addMatchAll: false });

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true } },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
