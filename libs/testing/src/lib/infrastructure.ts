/**
 * Where the tests' MariaDB, Redis and Kafka come from, decided once at the start of a run (jest-global-setup.ts):
 * containers started with testcontainers where a Docker engine answers, else the endpoints infra/local provides.
 * `TEST_INFRA=local` or `TEST_INFRA=testcontainers` forces one side.
 */
export type InfrastructureSource = 'testcontainers' | 'infra/local';

export interface InfrastructureChoice {
  source: InfrastructureSource;
  /** Why, for the line logged at the start of a run. */
  reason: string;
}

/** What the selection looks at; gathered by `inspectMachine` (or given by a unit test). */
export interface MachineFacts {
  /** TEST_INFRA: `local`, `testcontainers`, or unset / `auto`. */
  request: string | undefined;
  /** A Docker endpoint is configured or its socket exists (DOCKER_HOST, /var/run/docker.sock, ~/.docker/run/docker.sock, ~/.testcontainers.properties). */
  dockerEndpoint: boolean;
  /** Whether a container runtime answered; asked only when an endpoint exists (loading testcontainers costs ~1.5 s). */
  dockerAnswers: () => Promise<boolean>;
}

export async function chooseInfrastructure(facts: MachineFacts): Promise<InfrastructureChoice> {
  const request = (facts.request ?? 'auto').trim().toLowerCase() || 'auto';
  if (request === 'local') return { source: 'infra/local', reason: 'TEST_INFRA=local' };
  if (request !== 'auto' && request !== 'testcontainers') {
    throw new Error(`TEST_INFRA must be auto, local or testcontainers (got "${facts.request}")`);
  }
  const answers = facts.dockerEndpoint && (await facts.dockerAnswers());
  if (answers) return { source: 'testcontainers', reason: request === 'auto' ? 'a Docker engine answers' : 'TEST_INFRA=testcontainers' };
  if (request === 'testcontainers') {
    throw new Error('TEST_INFRA=testcontainers, but no Docker engine answers (DOCKER_HOST or a local docker.sock)');
  }
  return {
    source: 'infra/local',
    reason: facts.dockerEndpoint ? 'the Docker endpoint does not answer' : 'no Docker engine on this machine',
  };
}

/** The endpoints infra/local provides (its env.sh defaults), as the test helpers read them. */
export function localEndpoints(env: NodeJS.ProcessEnv): Record<'DB_HOST' | 'DB_PORT' | 'DB_USER' | 'DB_PASSWORD' | 'REDIS_URL' | 'KAFKA_BROKERS', string> {
  return {
    DB_HOST: env['DB_HOST'] ?? '127.0.0.1',
    DB_PORT: env['DB_PORT'] ?? env['MARIADB_PORT'] ?? '3306',
    DB_USER: env['DB_USER'] ?? 'app',
    DB_PASSWORD: env['DB_PASSWORD'] ?? 'app',
    REDIS_URL: env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    KAFKA_BROKERS: env['KAFKA_BROKERS'] ?? '127.0.0.1:9092',
  };
}

/** Topic namespaces the suites use, provisioned in a fresh Kafka as infra/local/start.sh does (KAFKA_TOPIC_NAMESPACES). */
export const TEST_TOPIC_NAMESPACES = ['test.', 'test.matching.'] as const;
