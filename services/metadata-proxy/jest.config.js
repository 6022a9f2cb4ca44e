module.exports = { ...require('../../jest.preset.js'), displayName: 'metadata-proxy', rootDir: __dirname };
