// Preloaded (node -r) into every service `neutrino start` runs: the child
// watches its supervisor and stops itself when the supervisor is gone (even
// after a kill -9, which leaves the supervisor no chance to stop anyone), so
// no listener outlives it. The supervisor's pid comes in NEUTRINO_SUPERVISOR_PID.
const supervisor = Number(process.env.NEUTRINO_SUPERVISOR_PID);
if (Number.isInteger(supervisor) && supervisor > 1) {
  const gone = () => {
    if (process.ppid !== supervisor) return true;
    try {
      process.kill(supervisor, 0);
      return false;
    } catch {
      return true;
    }
  };
  const timer = setInterval(() => {
    if (!gone()) return;
    clearInterval(timer);
    process.stderr.write(`supervisor ${supervisor} is gone: stopping ${process.pid}\n`);
    // SIGTERM runs the service's own shutdown; a second later it exits whatever happened
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.exit(1), 5000).unref();
  }, 500);
  timer.unref();
}
