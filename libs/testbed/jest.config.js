module.exports = { ...require('../../jest.preset.js'), displayName: 'testbed', rootDir: __dirname };
