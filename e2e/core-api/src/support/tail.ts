import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { trackChild, untrackChild } from '@neutrino/testing';

/** A long-running child (a subscriber) whose stdout lines are collected; stopped by signal, by its pid. */
export class Tail {
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    trackChild(this.child, null);
    createInterface({ input: this.child.stdout! }).on('line', (l) => this.lines.push(l));
    this.child.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => {
      untrackChild(this.child.pid!);
      resolve({ code, signal });
    }));
  }

  json(): any[] {
    return this.lines.map((l) => JSON.parse(l));
  }

  /** Sends the signal (Ctrl-C by default) and resolves with how the process ended. */
  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
