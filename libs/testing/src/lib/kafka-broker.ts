import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WORKSPACE = join(__dirname, '../../../..');
const KAFKA_LIBS = join(WORKSPACE, '.local/kafka/libs/*');
const LOG4J = join(WORKSPACE, 'infra/local/kafka/log4j2.properties');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A Kafka broker of a test's own (single KRaft node from infra/local's jars, its own ports and data), which the test
 * may kill and start again without touching the shared broker on 9092. ~10 s to start on this machine.
 */
export class TestKafkaBroker {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'test-kafka-'));
  private log = '';
  port = 0;

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  async start(timeoutMs = 60_000): Promise<void> {
    if (!this.port) {
      this.port = await freePort();
      const controller = await freePort();
      writeFileSync(
        join(this.dir, 'server.properties'),
        readFileSync(join(WORKSPACE, 'infra/local/kafka/server.properties.in'), 'utf8')
          .replaceAll('@KAFKA_PORT@', String(this.port))
          .replaceAll('@KAFKA_CONTROLLER_PORT@', String(controller))
          .replaceAll('@DATA_DIR@', this.dir),
      );
      const format = spawnSync('java', ['-cp', KAFKA_LIBS, `-Dlog4j2.configurationFile=${LOG4J}`, 'kafka.tools.StorageTool', 'format', '-t', 'MkU3OEVBNTcwNTJENDM2Qk', '-c', join(this.dir, 'server.properties'), '--standalone', '--ignore-formatted'], { encoding: 'utf8' });
      if (format.status !== 0) throw new Error(`formatting the test broker's storage failed: ${format.stderr || format.stdout}`);
    }
    this.log = '';
    const child = spawn('java', ['-Xms128m', '-Xmx384m', `-Dlog4j2.configurationFile=${LOG4J}`, '-cp', KAFKA_LIBS, 'kafka.Kafka', join(this.dir, 'server.properties')], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.process = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    const deadline = Date.now() + timeoutMs;
    while (!this.log.includes('Kafka Server started')) {
      if (child.exitCode !== null) throw new Error(`the test broker exited (${child.exitCode}):\n${this.log.slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`the test broker did not start within ${timeoutMs} ms:\n${this.log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Kills the broker (SIGKILL by default: a crash, not a shutdown); its data stays for the next start. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
