/**
 * Optional namespace for every topic, read once at start-up. Tests run with `KAFKA_TOPIC_PREFIX=test.` so
 * their events never reach the topics a local demo consumes (both share the one local broker).
 */
export function checkTopicPrefix(prefix: string, name = 'KAFKA_TOPIC_PREFIX'): string {
  if (!/^[a-z0-9._-]{0,40}$/.test(prefix)) {
    throw new Error(`${name} must be up to 40 of a-z 0-9 . _ - (got "${prefix}")`);
  }
  return prefix;
}

const prefix = checkTopicPrefix(globalThis.process?.env?.['KAFKA_TOPIC_PREFIX'] ?? '');

/**
 * Every Kafka topic in the system, named `<domain>.<entity>.v<major>`.
 * The message key is always the entity id, so events of one entity stay ordered.
 */
export const Topic = {
  IdentityUser: `${prefix}identity.user.v1`,
  ProfilesCustomer: `${prefix}profiles.customer.v1`,
  ManagersManager: `${prefix}managers.manager.v1`,
  MatchingAssignment: `${prefix}matching.assignment.v1`,
  MatchingRun: `${prefix}matching.run.v1`,
} as const;
export type Topic = (typeof Topic)[keyof typeof Topic];

/** Partition counts sized for the consumer replicas we intend to run. */
export const TOPIC_PARTITIONS: Record<Topic, number> = {
  [Topic.IdentityUser]: 3,
  [Topic.ProfilesCustomer]: 6,
  [Topic.ManagersManager]: 3,
  [Topic.MatchingAssignment]: 6,
  [Topic.MatchingRun]: 1,
};

export const DEAD_LETTER_SUFFIX = '.dlq';

export function deadLetterTopic(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

export interface TopicSpec {
  topic: string;
  numPartitions: number;
}

/** Dead-letter topics have one partition: they are read rarely and by hand. */
const DEAD_LETTER_PARTITIONS = 1;

/**
 * Every topic the platform needs, each with its dead-letter topic: what the provisioning step creates before any
 * service starts. `namespace` replaces the process's KAFKA_TOPIC_PREFIX (e.g. to provision the tests' `test.`).
 */
export function platformTopicSpecs(namespace = prefix): TopicSpec[] {
  checkTopicPrefix(namespace, 'the topic namespace');
  return Object.values(Topic).flatMap((topic) => {
    const name = `${namespace}${topic.slice(prefix.length)}`;
    return [
      { topic: name, numPartitions: TOPIC_PARTITIONS[topic] },
      { topic: deadLetterTopic(name), numPartitions: DEAD_LETTER_PARTITIONS },
    ];
  });
}
