import { createLogger } from './logger';

/** A started service: stop() closes its listeners and connections (it does not exit the process). */
export interface RunningService {
  stop(): Promise<void>;
}

/**
 * Runs a service as its own process when its module is the program's entry
 * (`node main.js`): starts it, and on SIGTERM/SIGINT stops it and exits. When
 * the module is only loaded (the controller process, tools/runtime/controller.js,
 * hosts ipam, the gateway and the metadata service in one process), nothing
 * runs: the host calls the exported start itself and owns the signals.
 */
export function runAsProcess(name: string, entry: NodeModule, start: () => Promise<RunningService>): void {
  if (require.main !== entry) return;
  start()
    .then((service) => {
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        service.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            createLogger(name).error({ err }, `${name} did not stop cleanly`);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    })
    .catch((err: unknown) => {
      createLogger(name).fatal({ err }, `${name} failed to start`);
      process.exit(1);
    });
}
