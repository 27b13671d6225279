#!/usr/bin/env node
// Rebuilds analytics' read models by replaying every topic from its beginning, through the gateway as an admin,
// and prints the progress until the replay has finished. Usage (after `make up`): make analytics-replay
//   ARGS="--gateway=http://127.0.0.1:3000 --username=admin --password=admin123" (or --token=<admin access token>)
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    gateway: { type: 'string', default: process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000' },
    username: { type: 'string', default: process.env.ADMIN_USERNAME ?? 'admin' },
    password: { type: 'string', default: process.env.ADMIN_PASSWORD ?? 'admin123' },
    /** An admin access token instead of signing in. */
    token: { type: 'string' },
    'timeout-s': { type: 'string', default: '3600' },
  },
});

async function call(method, path, token, body) {
  const response = await fetch(`${values.gateway}/api${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${json.message ?? ''}`);
  return json;
}

const login = async () => values.token ?? call('POST', '/auth/login', undefined, { username: values.username, password: values.password }).then((r) => r.accessToken);

try {
  let token = await login();
  let status = await call('POST', '/analytics/replay', token);
  console.log(`[analytics-replay] started: ${status.eventsTotal} events on the topics`);
  const deadline = Date.now() + Number(values['timeout-s']) * 1000;
  while (status.state === 'running') {
    if (Date.now() > deadline) throw new Error(`not finished after ${values['timeout-s']} s`);
    await new Promise((r) => setTimeout(r, 1000));
    try {
      status = await call('GET', '/analytics/replay', token);
    } catch (error) {
      // the access token may expire during a long replay
      if (!/: 401 /.test(error.message) || values.token) throw error;
      token = await login();
      continue;
    }
    console.log(`[analytics-replay] ${(status.progress * 100).toFixed(1)} % (${status.eventsDone}/${status.eventsTotal}, ${status.eventsPerSecond ?? '?'} events/s)`);
  }
  if (status.state !== 'completed') throw new Error(`replay ${status.state}: ${status.error ?? 'unknown error'}`);
  const seconds = (Date.parse(status.finishedAt) - Date.parse(status.startedAt)) / 1000;
  console.log(`[analytics-replay] completed: ${status.eventsTotal} events in ${seconds.toFixed(1)} s (${status.eventsPerSecond} events/s)`);
} catch (error) {
  console.error(`[analytics-replay] ERROR: ${error.message}`);
  process.exit(1);
}
