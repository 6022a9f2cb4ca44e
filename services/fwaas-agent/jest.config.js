module.exports = { ...require('../../jest.preset.js'), displayName: 'fwaas-agent', rootDir: __dirname };
