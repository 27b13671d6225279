/**
 * Creates every Kafka topic of the libs/contracts registry, each with its `.dlq` topic and the registry's partition
 * counts, before any service starts: `make up` and `make test` (infra/local/start.sh), the compose init service and
 * the Kubernetes Job. Idempotent. Services never create topics; they wait for these.
 *
 *   KAFKA_BROKERS=127.0.0.1:9092 node dist/tools/kafka-provision/main.js [--namespace ''] [--namespace test.]
 *
 * Exit codes: 0 provisioned, 1 Kafka failed or was unreachable, 2 bad arguments or environment.
 */
import pino from 'pino';
import type { LogEntry } from 'kafkajs';
import { parseRequest, provision, UsageError } from './provision';

const logger = pino({ base: { service: 'kafka-provision' } });
// kafkajs retries what it logs as errors; the final outcome is logged once below.
const kafkaLog = () => ({ log }: LogEntry) => {
  const { message, ...extra } = log;
  logger.warn(extra, message);
};

async function main(): Promise<number> {
  let request;
  try {
    request = parseRequest(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    logger.error(error.message);
    return 2;
  }
  const results = await provision(request, kafkaLog, (error) => logger.info({ err: error.message }, 'waiting for Kafka'));
  for (const r of results) {
    logger.info({ namespace: r.namespace, topics: r.topics, created: r.created }, 'namespace provisioned');
  }
  // one line for people: "platform 10 (10 new), test. 10 (0 new)"
  const summary = results.map((r) => `${r.namespace || 'platform'} ${r.topics} (${r.created.length} new)`).join(', ');
  logger.info({ namespaces: results.length }, `topics ready: ${summary}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    logger.fatal({ err: error.message }, 'provisioning Kafka topics failed');
    process.exit(1);
  },
);
