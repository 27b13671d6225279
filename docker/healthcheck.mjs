// Container health probe for the Node images: `node healthcheck.mjs /health/live` (or /health/ready).
// Asks 127.0.0.1 on the port the process listens on ($PORT for the services, $PORTAL_PORT for the portal), so
// the probe never disagrees with the configuration.
// The slim Node image has no curl or wget; Node's own fetch does the job. Exit 0 = healthy, 1 = not.
const path = process.argv[2] ?? '/health/live';
const port = process.env.PORT || process.env.PORTAL_PORT;
if (!port) {
  console.error('healthcheck: neither PORT nor PORTAL_PORT is set');
  process.exit(1);
}
try {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2_500) });
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  console.error(`healthcheck: ${path} on port ${port}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
