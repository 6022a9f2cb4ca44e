// Where the compiled entry point of each process lives, for launchers and tests.
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const dist = (p) => path.join(root, 'dist', p);

module.exports = {
  root,
  register: path.join(__dirname, 'register-paths.js'),
  /** node -r script that stops a service when its supervisor (NEUTRINO_SUPERVISOR_PID) is gone. */
  supervised: path.join(__dirname, 'supervised.js'),
  /** node entry that hosts ipam, the api-gateway and the metadata service in one process. */
  controller: path.join(__dirname, 'controller.js'),
  services: {
    'api-gateway': dist('services/api-gateway/src/main.js'),
    ipam: dist('services/ipam/src/main.js'),
    'l2-agent': dist('services/l2-agent/src/main.js'),
    'dhcp-agent': dist('services/dhcp-agent/src/main.js'),
    'metadata-agent': dist('services/metadata-proxy/src/main.js'),
    'metadata-service': dist('services/metadata-service/src/main.js'),
    'l3-agent': dist('services/l3-agent/src/main.js'),
    'lbaas-agent': dist('services/lbaas-agent/src/main.js'),
    'fwaas-agent': dist('services/fwaas-agent/src/main.js'),
  },
  cli: dist('tools/cli/src/main.js'),
};
