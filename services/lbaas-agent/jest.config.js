module.exports = { ...require('../../jest.preset.js'), displayName: 'lbaas-agent', rootDir: __dirname };
