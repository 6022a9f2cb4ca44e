// End-to-end: the built suite (dist/) as real processes on a real nats-server.
module.exports = { ...require('../../jest.preset.js'), displayName: 'e2e-core-api', rootDir: __dirname, testTimeout: 120_000 };
