import { ConfigurationError } from './config';

function jsonLine(level: number, service: string, msg: string, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ level, time: Date.now(), service, msg, ...extra })}\n`;
}

/**
 * Runs a service's start-up with the process-level conventions every service shares:
 * Node's own warnings become JSON log lines (the log stream stays machine-readable), and a failed start
 * prints one fatal JSON line — only the message for configuration problems, which are the operator's to fix —
 * and exits 1.
 */
export function runService(service: string, start: () => Promise<void>): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    process.stderr.write(jsonLine(40, service, warning.message, { warning: warning.name }));
  });
  start().catch((error: unknown) => {
    const err = error as Error;
    const line =
      error instanceof ConfigurationError
        ? jsonLine(60, service, err.message)
        : jsonLine(60, service, `failed to start: ${err?.message ?? String(error)}`, { stack: err?.stack });
    process.stderr.write(line);
    process.exit(1);
  });
}
