import { checkTopicPrefix, platformTopicSpecs } from '@relationship/contracts';
import { createKafka, provisionTopics } from '@relationship/messaging';
import { parseArgs } from 'node:util';
import type { logCreator } from 'kafkajs';

export interface ProvisionRequest {
  brokers: string[];
  /** Topic namespaces to provision: '' for the platform itself, `test.` for the test suites' own. */
  namespaces: string[];
  /** How long to keep trying while the broker is not reachable yet (a fresh container, a Job beside the broker). */
  waitMs: number;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const USAGE = 'usage: kafka-provision [--namespace <prefix>]... [--wait-s <seconds>]  (KAFKA_BROKERS=host:port,...)';

/** Reads the command line and environment; every problem is a UsageError naming the option or variable. */
export function parseRequest(argv: string[], env: NodeJS.ProcessEnv): ProvisionRequest {
  let values: { namespace?: string[]; 'wait-s'?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { namespace: { type: 'string', multiple: true }, 'wait-s': { type: 'string' } }, strict: true }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const brokers = (env['KAFKA_BROKERS'] ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  if (!brokers.length) throw new UsageError(`KAFKA_BROKERS: required (host:port,...)\n${USAGE}`);
  const bad = brokers.find((b) => !/^[^\s:]+:\d{1,5}$/.test(b));
  if (bad) throw new UsageError(`KAFKA_BROKERS: "${bad}" is not host:port`);
  const waitS = values['wait-s'] === undefined ? Number(env['KAFKA_PROVISION_WAIT_S'] ?? 120) : Number(values['wait-s']);
  if (!Number.isInteger(waitS) || waitS < 1 || waitS > 3600) throw new UsageError('--wait-s: an integer from 1 to 3600');
  const namespaces = values.namespace ?? [env['KAFKA_TOPIC_PREFIX'] ?? ''];
  for (const namespace of namespaces) {
    try {
      checkTopicPrefix(namespace, '--namespace');
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  return { brokers, namespaces: [...new Set(namespaces)], waitMs: waitS * 1000 };
}

export interface ProvisionResult {
  namespace: string;
  topics: number;
  created: string[];
}

/** Creates every topic of the contracts registry and its dead-letter topic, in each namespace; idempotent. */
export async function provision(request: ProvisionRequest, log: logCreator, onRetry: (error: Error) => void): Promise<ProvisionResult[]> {
  // Few client retries: the loop below owns the (longer) wait for a broker that is still starting.
  const admin = createKafka({ service: 'kafka-provision', brokers: request.brokers }, { logCreator: log, retry: { initialRetryTime: 200, retries: 3 } }).admin();
  const deadline = Date.now() + request.waitMs;
  for (;;) {
    try {
      await admin.connect();
      break;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`Kafka at ${request.brokers.join(',')} not reachable within ${request.waitMs / 1000} s: ${(error as Error).message}`);
      onRetry(error as Error);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
  try {
    const results: ProvisionResult[] = [];
    for (const namespace of request.namespaces) {
      const specs = platformTopicSpecs(namespace);
      const created = await provisionTopics(admin, specs, Math.max(deadline - Date.now(), 30_000));
      results.push({ namespace, topics: specs.length, created });
    }
    return results;
  } finally {
    await admin.disconnect();
  }
}
