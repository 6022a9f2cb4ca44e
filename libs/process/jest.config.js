module.exports = { ...require('../../jest.preset.js'), displayName: 'process', rootDir: __dirname };
