module.exports = { ...require('../../jest.preset.js'), displayName: 'metadata', rootDir: __dirname };
