module.exports = { ...require('../../jest.preset.js'), displayName: 'l2-agent', rootDir: __dirname };
