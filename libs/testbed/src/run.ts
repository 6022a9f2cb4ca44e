import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';

/** Finds a program on PATH or in the sbin directories (root's tools live there). */
export function which(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs.filter(Boolean)) {
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      /* next */
    }
  }
  return null;
}

export function binary(name: string, pkg: string): string {
  const file = which(name);
  if (!file) throw new Error(`${name} is missing: install the Debian package ${pkg} (tools/scripts/ensure-env.sh does)`);
  return file;
}

export interface RunResult {
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs argv (no shell) and returns its exit status and output; never throws for a non-zero exit. */
export function run(argv: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(argv[0], argv.slice(1), { timeout: opts.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: unknown; signal?: NodeJS.Signals }) | null;
      if (e && typeof e.code === 'string') return reject(new Error(`${argv[0]}: ${e.message}`));
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : 1) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Runs argv and throws with its stderr when it fails. */
export async function must(argv: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const r = await run(argv, opts);
  if (r.code !== 0 || r.signal) {
    const what = opts.input ? `${argv.join(' ')} <<${opts.input.trim().split('\n').slice(0, 20).join('; ')}` : argv.join(' ');
    throw new Error(`\`${what}\` failed (${r.signal ?? `exit ${r.code}`}): ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}
