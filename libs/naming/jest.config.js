module.exports = { ...require('../../jest.preset.js'), displayName: 'naming', rootDir: __dirname };
