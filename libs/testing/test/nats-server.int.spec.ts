import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'nats';
import { freePort, startNats, waitFor, type NatsServer } from '../src';

/** True if the pid exists and is not a zombie. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

jest.setTimeout(30_000);

describe('startNats', () => {
  let server: NatsServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('freePort returns a bindable port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
  });

  it('starts a loopback JetStream server and stops it by pid, removing the store dir', async () => {
    server = await startNats();
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    expect(alive(server.pid)).toBe(true);
    expect(existsSync(server.storeDir)).toBe(true);
    const cmdline = readFileSync(`/proc/${server.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toEqual(expect.arrayContaining(['-js', '-a', '127.0.0.1', '-p', String(server.port), '-sd', server.storeDir]));

    const nc = await connect({ servers: server.url });
    const jsm = await nc.jetstreamManager();
    const info = await jsm.getAccountInfo();
    expect(info.streams).toBe(0);
    await nc.close();

    const { pid, storeDir } = server;
    await server.stop();
    server = undefined;
    expect(alive(pid)).toBe(false);
    expect(existsSync(storeDir)).toBe(false);
  });

  it('restart keeps port and store dir (streams survive)', async () => {
    server = await startNats();
    const nc = await connect({ servers: server.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    try {
      const jsm = await nc.jetstreamManager({ timeout: 1_000 });
      await jsm.streams.add({ name: 'KEEP', subjects: ['keep.>'] });
      await nc.jetstream().publish('keep.a', new Uint8Array([1]));
      const { port, storeDir, pid } = server;

      await server.restart();
      expect(server.port).toBe(port);
      expect(server.storeDir).toBe(storeDir);
      expect(server.pid).not.toBe(pid);
      expect(alive(pid)).toBe(false);

      const info = await waitFor(() => jsm.streams.info('KEEP'), { timeoutMs: 10_000 });
      expect(info.state.messages).toBe(1);
    } finally {
      await nc.close();
    }
  });

  // A child node process that starts a server through the TS sources, prints
  // the handle, then either exits normally or waits to be SIGKILLed.
  async function startInChild(mode: 'exit' | 'hang'): Promise<{ pid: number; storeDir: string; proc: ReturnType<typeof spawn> }> {
    const script = `
      const swc = require('@swc/core');
      const fs = require('fs');
      require.extensions['.ts'] = (m, filename) => {
        const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
          filename, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' },
        });
        m._compile(code, filename);
      };
      // the workspace's @neutrino/* imports, to their TS sources (tsconfig paths)
      require('tsconfig-paths').register({ baseUrl: process.cwd(), paths: require('./tsconfig.base.json').compilerOptions.paths, addMatchAll: false });
      const { startNats } = require(${JSON.stringify(join(__dirname, '..', 'src', 'index.ts'))});
      startNats().then((s) => {
        process.stdout.write(JSON.stringify({ pid: s.pid, storeDir: s.storeDir }) + '\\n');
        if (${JSON.stringify(mode)} === 'exit') setTimeout(() => process.exit(0), 50);
        else setInterval(() => {}, 1000);
      });
    `;
    const proc = spawn(process.execPath, ['-e', script], { cwd: join(__dirname, '..', '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      proc.stdout!.on('data', (d) => {
        buf += d;
        if (buf.includes('\n')) resolve(buf.split('\n')[0]);
      });
      proc.once('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    return { ...JSON.parse(line), proc };
  }

  it('a test process that exits does not leave its server behind', async () => {
    const { pid, storeDir, proc } = await startInChild('exit');
    await new Promise((r) => proc.once('exit', r));
    await waitFor(() => !alive(pid), { timeoutMs: 5_000 });
    expect(existsSync(storeDir)).toBe(false);
  });

  it('a SIGKILLed test process does not leave its server behind (watchdog)', async () => {
    const { pid, storeDir, proc } = await startInChild('hang');
    expect(alive(pid)).toBe(true);
    process.kill(proc.pid!, 'SIGKILL');
    await waitFor(() => !alive(pid), { timeoutMs: 10_000 });
    await waitFor(() => !existsSync(storeDir), { timeoutMs: 5_000 });
  });
});
