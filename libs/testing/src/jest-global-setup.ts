/**
 * Jest global setup of every node test project (jest.preset.js): picks the tests' MariaDB, Redis and Kafka once per
 * run, logs the choice, and hands the endpoints to the workers through the environment the test helpers read
 * (testDatabaseUrl, testRedisUrl, testKafkaBrokers).
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { chooseInfrastructure, localEndpoints } from './lib/infrastructure';

export default async function setUpTestInfrastructure(_global: unknown, project: { testEnvironment?: string; displayName?: { name?: string } | string }): Promise<void> {
  if (project.testEnvironment?.includes('jsdom')) return; // browser tests need no infrastructure
  const dockerEndpoint =
    Boolean(process.env['DOCKER_HOST']) ||
    ['/var/run/docker.sock', join(homedir(), '.docker/run/docker.sock'), join(homedir(), '.testcontainers.properties')].some((p) => existsSync(p));
  const choice = await chooseInfrastructure({
    request: process.env['TEST_INFRA'],
    dockerEndpoint,
    dockerAnswers: async () => (await import('./lib/containers')).dockerAnswers(),
  });
  const endpoints = choice.source === 'testcontainers' ? await (await import('./lib/containers')).startContainers() : localEndpoints(process.env);
  Object.assign(process.env, endpoints);
  const name = typeof project.displayName === 'string' ? project.displayName : (project.displayName?.name ?? '');
  process.stderr.write(
    `[test-infrastructure] ${name}: ${choice.source} (${choice.reason}): MariaDB ${endpoints['DB_HOST']}:${endpoints['DB_PORT']}, ${endpoints['REDIS_URL']}, Kafka ${endpoints['KAFKA_BROKERS']}\n`,
  );
}
