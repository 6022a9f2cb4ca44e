module.exports = { ...require('../../jest.preset.js'), displayName: 'dhcp-agent', rootDir: __dirname };
