import { repoPath } from './repo';
import { ServiceConfig } from './service-config';

/**
 * The one-shot topic provisioner (tools/kafka-provision): a compose service and a Kubernetes Job of this name create
 * every topic before the services that use Kafka start (they only wait for their topics, then fail).
 */
export const TOPICS_INIT = 'kafka-topics';
export const PROVISIONER_ROOT = 'tools';
export const PROVISIONER = 'kafka-provision';
export const PROVISIONER_SOURCE = `${PROVISIONER_ROOT}/${PROVISIONER}/src/provision.ts`;

/** What tools/kafka-provision reads from its command line and environment (its own parseRequest). */
export interface ProvisionRequest {
  brokers: string[];
  namespaces: string[];
  waitMs: number;
}
export type ParseProvisionRequest = (argv: string[], env: Record<string, string>) => ProvisionRequest;

/**
 * The provisioner's own argument parser, imported by path like the services' config schemas: a flag or variable the
 * tool refuses fails here exactly as the container would.
 */
export async function loadProvisionParser(): Promise<ParseProvisionRequest> {
  const module = (await import(repoPath(PROVISIONER_SOURCE))) as { parseRequest?: ParseProvisionRequest };
  if (typeof module.parseRequest !== 'function') throw new Error(`${PROVISIONER_SOURCE} must export parseRequest(argv, env)`);
  return module.parseRequest;
}

/** Processes that talk to Kafka: their schema reads KAFKA_BROKERS. */
export const usesKafka = (config: ServiceConfig): boolean => config.keys.has('KAFKA_BROKERS');

/**
 * The topic namespace a process uses: KAFKA_TOPIC_PREFIX, validated by its config (kafkaEnv) and handed to the
 * messaging options ('' = the platform's).
 */
export const topicNamespace = (env: Record<string, string>): string => env['KAFKA_TOPIC_PREFIX'] ?? '';

export interface KafkaUser {
  name: string;
  env: Record<string, string>;
}

/**
 * A provisioner container's command and environment: accepted by the tool, runs its main.js, provisions the
 * namespace of every Kafka-using process, on the brokers they use.
 */
export function provisionerProblems(where: string, command: string[] | undefined, env: Record<string, string>, users: KafkaUser[], parse: ParseProvisionRequest): string[] {
  const effective = command && command.length ? command : ['node', 'main.js'];
  if (effective[0] !== 'node' || effective[1] !== 'main.js') return [`${where}: command ${JSON.stringify(effective)} must be ["node", "main.js", ...flags] (the ${PROVISIONER} bundle)`];
  let request: ProvisionRequest;
  try {
    request = parse(effective.slice(2), env);
  } catch (error) {
    return [`${where}: ${PROVISIONER} would refuse to start: ${(error as Error).message.split('\n')[0]}`];
  }
  const problems: string[] = [];
  for (const user of users) {
    const namespace = topicNamespace(user.env);
    if (!request.namespaces.includes(namespace)) {
      problems.push(`${where}: provisions the namespaces ${JSON.stringify(request.namespaces)}, but ${user.name} uses topic namespace "${namespace}"`);
    }
    const brokers = (user.env['KAFKA_BROKERS'] ?? '').split(',').map((b) => b.trim()).filter(Boolean);
    if (brokers.length && brokers.join(',') !== request.brokers.join(',')) {
      problems.push(`${where}: KAFKA_BROKERS ${request.brokers.join(',')} differs from ${user.name}'s ${brokers.join(',')}: it would create the topics on another cluster`);
    }
  }
  return problems;
}
