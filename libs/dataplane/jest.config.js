module.exports = { ...require('../../jest.preset.js'), displayName: 'dataplane', rootDir: __dirname };
