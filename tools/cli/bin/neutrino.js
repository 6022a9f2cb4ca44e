#!/usr/bin/env node
// The operator CLI: `npx neutrino --help`. Runs the compiled CLI from dist/
// (built by `npm run build`, which `npm start` and `npm test` do first).
const fs = require('node:fs');
const { register, cli } = require('../../runtime/entrypoints');

if (!fs.existsSync(cli)) {
  console.error('neutrino: not built yet — run `npm run build` (or `npm start`) first');
  process.exit(2);
}
require(register);
require(cli);
