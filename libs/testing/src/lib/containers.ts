/**
 * The testcontainers side of the test infrastructure: MariaDB, Redis and Kafka (apache/kafka, single-node KRaft),
 * reused across the projects of a run (`withReuse`), with the registry's topics provisioned. It cannot run on a
 * machine without Docker (the CI machine of this repository): `chooseInfrastructure` then picks infra/local.
 */
import { createServer } from 'node:net';
import { GenericContainer, Wait, getContainerRuntimeClient } from 'testcontainers';
import { Kafka, logLevel } from 'kafkajs';
// Loaded by Jest's global setup, outside its module mapper: relative paths instead of the @relationship/* aliases.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { platformTopicSpecs } from '../../../contracts/src/lib/topics';
import { TEST_TOPIC_NAMESPACES } from './infrastructure';

export const IMAGES = { mariadb: 'mariadb:10.11', redis: 'redis:7.4', kafka: 'apache/kafka:4.1.0' } as const;
const DB_PASSWORD = 'test';

export async function dockerAnswers(): Promise<boolean> {
  try {
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/** A free port on this host: Kafka must advertise the port clients reach it on, so it is fixed before start. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts (or reuses) the three containers; returns the environment the test helpers read. */
export async function startContainers(): Promise<Record<string, string>> {
  const kafkaPort = await freePort();
  const [mariadb, redis] = await Promise.all([
    new GenericContainer(IMAGES.mariadb)
      .withEnvironment({ MARIADB_ROOT_PASSWORD: DB_PASSWORD })
      .withExposedPorts(3306)
      .withWaitStrategy(Wait.forLogMessage(/ready for connections/, 2))
      .withReuse()
      .start(),
    new GenericContainer(IMAGES.redis).withExposedPorts(6379).withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/)).withReuse().start(),
  ]);
  const kafka = await new GenericContainer(IMAGES.kafka)
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${kafkaPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withExposedPorts({ container: 9092, host: kafkaPort })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withReuse()
    .start();
  const brokers = `${kafka.getHost()}:${kafka.getMappedPort(9092)}`;
  await provisionTestTopics(brokers);
  return {
    DB_HOST: mariadb.getHost(),
    DB_PORT: String(mariadb.getMappedPort(3306)),
    DB_USER: 'root',
    DB_PASSWORD,
    REDIS_URL: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    KAFKA_BROKERS: brokers,
  };
}

/** Services wait for provisioned topics (they never create them): the tests' namespaces, as infra/local does. */
async function provisionTestTopics(brokers: string): Promise<void> {
  const admin = new Kafka({ clientId: 'test-infrastructure', brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const topics = TEST_TOPIC_NAMESPACES.flatMap((ns) => platformTopicSpecs(ns)).filter((t) => !existing.has(t.topic));
    if (topics.length) await admin.createTopics({ topics, waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
