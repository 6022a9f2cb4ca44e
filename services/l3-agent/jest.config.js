module.exports = { ...require('../../jest.preset.js'), displayName: 'l3-agent', rootDir: __dirname };
