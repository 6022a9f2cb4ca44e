// The namespace metadata proxy as a program: node proxy-main.js --metadata_proxy_socket=… --network_id=…|--router_id=… --metadata_port=… [--bind_address=…]
// Node built-ins only, so it runs without the workspace's path register.
import { createNsProxy } from './ns-proxy';
import { parseProxyArgs } from './proxy-args';

const args = parseProxyArgs(process.argv.slice(2));
const server = createNsProxy(args);
server.on('error', (err) => {
  console.error(`metadata proxy: ${err.message}`);
  process.exit(1);
});
server.listen(args.port, args.bindAddress);
const stop = () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
