import { platformTopicSpecs } from '@relationship/contracts';
import { testKafkaBrokers } from '@relationship/testing';
import { Kafka, logLevel } from 'kafkajs';
import { parseRequest, provision, UsageError } from './provision';

const quiet = () => () => undefined;

describe('kafka-provision', () => {
  it('reads namespaces, brokers and the wait from the command line and environment', () => {
    expect(parseRequest(['--namespace', '', '--namespace', 'test.', '--namespace', 'test.'], { KAFKA_BROKERS: 'a:9092, b:9093' })).toEqual({
      brokers: ['a:9092', 'b:9093'],
      namespaces: ['', 'test.'],
      waitMs: 120_000,
    });
    expect(parseRequest([], { KAFKA_BROKERS: 'k:19092', KAFKA_TOPIC_PREFIX: 'dev.', KAFKA_PROVISION_WAIT_S: '5' })).toMatchObject({ namespaces: ['dev.'], waitMs: 5_000 });
  });

  it.each([
    [[], {}, /KAFKA_BROKERS: required/],
    [[], { KAFKA_BROKERS: 'no-port' }, /KAFKA_BROKERS: "no-port" is not host:port/],
    [['--namespace', 'Bad Prefix'], { KAFKA_BROKERS: 'k:1' }, /--namespace must be up to 40/],
    [['--wait-s', '0'], { KAFKA_BROKERS: 'k:1' }, /--wait-s: an integer/],
    [['--topics', 'x'], { KAFKA_BROKERS: 'k:1' }, /Unknown option '--topics'/],
  ])('refuses %j with %j, naming the option or variable', (argv, env, message) => {
    expect(() => parseRequest(argv as string[], env)).toThrow(UsageError);
    expect(() => parseRequest(argv as string[], env)).toThrow(message);
  });

  it('creates every registry topic and dead-letter topic in each namespace on the real broker, and nothing on a second run', async () => {
    const namespaces = [`test.prov-a-${Date.now().toString(36)}.`, `test.prov-b-${Date.now().toString(36)}.`];
    const request = { brokers: testKafkaBrokers().split(','), namespaces, waitMs: 30_000 };
    const admin = new Kafka({ clientId: 'kafka-provision-spec', brokers: request.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const all = namespaces.flatMap((n) => platformTopicSpecs(n));
    try {
      const first = await provision(request, quiet, () => undefined);
      expect(first.map((r) => [r.namespace, r.created.length])).toEqual(namespaces.map((n) => [n, platformTopicSpecs(n).length]));
      const { topics } = await admin.fetchTopicMetadata({ topics: all.map((t) => t.topic) });
      expect(Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]))).toEqual(Object.fromEntries(all.map((t) => [t.topic, t.numPartitions])));
      const second = await provision(request, quiet, () => undefined);
      expect(second.map((r) => r.created)).toEqual([[], []]);
    } finally {
      await admin.deleteTopics({ topics: all.map((t) => t.topic) }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('gives up on an unreachable broker after the wait, naming it', async () => {
    const retries: Error[] = [];
    await expect(provision({ brokers: ['127.0.0.1:1'], namespaces: [''], waitMs: 1_000 }, quiet, (e) => retries.push(e))).rejects.toThrow(
      /Kafka at 127\.0\.0\.1:1 not reachable within 1 s/,
    );
  });
});
