// End-to-end on the namespace test bed: the built suite and agents against the real kernel (root only).
module.exports = { ...require('../../jest.preset.js'), displayName: 'e2e-agents', rootDir: __dirname, testTimeout: 180_000 };
