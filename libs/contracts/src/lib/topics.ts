/**
 * An optional namespace put before every topic on the wire (the messaging options' `topicPrefix`, from a service's
 * KAFKA_TOPIC_PREFIX). Tests use `test.` so their events never reach the topics a local demo consumes (both share
 * the one local broker).
 */
export const TOPIC_PREFIX_PATTERN = /^[a-z0-9._-]{0,40}$/;
export const TOPIC_PREFIX_RULE = 'must be up to 40 of a-z 0-9 . _ -';

export function checkTopicPrefix(prefix: string, name = 'KAFKA_TOPIC_PREFIX'): string {
  if (!TOPIC_PREFIX_PATTERN.test(prefix)) throw new Error(`${name} ${TOPIC_PREFIX_RULE} (got "${prefix}")`);
  return prefix;
}

/**
 * Every Kafka topic in the system, named `<domain>.<entity>.v<major>`, without the namespace (the messaging
 * library adds it where it publishes, subscribes and provisions).
 * The message key is always the entity id, so events of one entity stay ordered.
 */
export const Topic = {
  IdentityUser: 'identity.user.v1',
  ProfilesCustomer: 'profiles.customer.v1',
  ManagersManager: 'managers.manager.v1',
  MatchingAssignment: 'matching.assignment.v1',
  MatchingRun: 'matching.run.v1',
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
 * Every topic the platform needs in a namespace (e.g. the tests' `test.`), each with its dead-letter topic: what the
 * provisioning step creates before any service starts.
 */
export function platformTopicSpecs(namespace = ''): TopicSpec[] {
  checkTopicPrefix(namespace, 'the topic namespace');
  return Object.values(Topic).flatMap((topic) => {
    const name = `${namespace}${topic}`;
    return [
      { topic: name, numPartitions: TOPIC_PARTITIONS[topic] },
      { topic: deadLetterTopic(name), numPartitions: DEAD_LETTER_PARTITIONS },
    ];
  });
}
