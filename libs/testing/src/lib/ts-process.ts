import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const WORKSPACE = join(__dirname, '../../../..');

/** A service entry point run from its TypeScript sources in a child process (fault tests SIGKILL it). */
export interface TsProcess {
  readonly child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves once `text` appears in its output; fails if it exits first or after `timeoutMs`. */
  waitFor(text: string, timeoutMs?: number): Promise<void>;
  /** Sends `signal` and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `entry` (a path from the workspace root, e.g. `services/matching/src/worker.ts`) under ts-node with the
 * workspace's path aliases, compiled with `project` (the app's tsconfig: decorators and their metadata), as CommonJS.
 */
export function spawnTs(entry: string, options: { project: string; env: NodeJS.ProcessEnv }): TsProcess {
  const register = `
    const { compilerOptions } = require(${JSON.stringify(join(WORKSPACE, 'tsconfig.base.json'))});
    require('tsconfig-paths').register({ baseUrl: ${JSON.stringify(WORKSPACE)}, paths: compilerOptions.paths });
    require('ts-node').register({ transpileOnly: true, project: ${JSON.stringify(join(WORKSPACE, options.project))},
      compilerOptions: { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' } });
    require(${JSON.stringify(join(WORKSPACE, entry))});`;
  // NODE_OPTIONS of jest (--experimental-vm-modules) would only slow the child down.
  const child = spawn(process.execPath, ['-e', register], { cwd: WORKSPACE, env: { ...options.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return {
    child,
    output: () => output,
    waitFor: (text, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          if (output.includes(text)) done();
          else if (child.exitCode !== null || child.signalCode !== null) done(new Error(`${entry} exited (${child.exitCode ?? child.signalCode}) before printing "${text}":\n${output.slice(-2000)}`));
          else if (Date.now() - started > timeoutMs) done(new Error(`${entry} did not print "${text}" within ${timeoutMs} ms:\n${output.slice(-2000)}`));
        }, 50);
        const done = (error?: Error) => {
          clearInterval(poll);
          if (error) reject(error);
          else resolve();
        };
      }),
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
