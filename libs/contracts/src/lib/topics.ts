/**
 * Optional namespace for every topic, read once at start-up. Tests run with `KAFKA_TOPIC_PREFIX=test.` so
 * their events never reach the topics a local demo consumes (both share the one local broker).
 */
function topicPrefix(): string {
  const prefix = globalThis.process?.env?.['KAFKA_TOPIC_PREFIX'] ?? '';
  if (!/^[a-z0-9._-]{0,40}$/.test(prefix)) {
    throw new Error(`KAFKA_TOPIC_PREFIX must be up to 40 of a-z 0-9 . _ - (got "${prefix}")`);
  }
  return prefix;
}

const prefix = topicPrefix();

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
