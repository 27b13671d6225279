import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '../../../..');
const LOG_DIR = join(REPO_ROOT, '.local', 'log', 'e2e');

export interface RunningService {
  name: string;
  url: string;
  process: ChildProcess;
  logFile: string;
}

/**
 * Starts a built service (dist/services/<name>/main.js) as its own process, as `make up` does. A second entry point
 * of a service's build (e.g. the matching worker, `matching/worker.js`) is given as `entry`, relative to dist/services.
 */
export async function startService(
  name: string,
  port: number,
  env: Record<string, string>,
  entry = `${name}/main.js`,
  /** How long to wait for /health/ready (a loaded machine may need longer than the default). */
  readyTimeoutMs = 60_000,
): Promise<RunningService> {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `${name}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'services', entry)], {
    env: {
      PATH: process.env['PATH'] ?? '',
      // Test topics stay apart from a local demo's (see Topic in libs/contracts).
      KAFKA_TOPIC_PREFIX: process.env['KAFKA_TOPIC_PREFIX'] ?? 'test.',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const service = { name, url: `http://127.0.0.1:${port}`, process: child, logFile };
  await waitUntilReady(service, readyTimeoutMs);
  return service;
}

async function waitUntilReady(service: RunningService, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (service.process.exitCode !== null) {
      throw new Error(`${service.name} exited with code ${service.process.exitCode}; log: ${service.logFile}`);
    }
    try {
      const response = await fetch(`${service.url}/health/ready`);
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name} not ready within ${timeoutMs} ms (${last}); log: ${service.logFile}`);
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the service ignored SIGTERM and had to be killed. */
  forced: boolean;
}

/** SIGTERM, as Kubernetes does; the service must drain and exit by itself within the grace period. */
export async function stopService(service: RunningService, timeoutMs = 15_000): Promise<Exit> {
  if (service.process.exitCode !== null) return { code: service.process.exitCode, signal: null, forced: false };
  const exited = new Promise<Exit>((r) => service.process.once('exit', (code, signal) => r({ code, signal, forced })));
  let forced = false;
  service.process.kill('SIGTERM');
  const timer = setTimeout(() => {
    forced = true;
    service.process.kill('SIGKILL');
  }, timeoutMs);
  const exit = await exited;
  clearTimeout(timer);
  return { ...exit, forced };
}
