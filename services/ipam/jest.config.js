module.exports = { ...require('../../jest.preset.js'), displayName: 'ipam', rootDir: __dirname };
