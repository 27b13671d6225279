/**
 * Every Kafka topic in the system, named `<domain>.<entity>.v<major>`.
 * The message key is always the entity id, so events of one entity stay ordered.
 */
export enum Topic {
  IdentityUser = 'identity.user.v1',
  ProfilesCustomer = 'profiles.customer.v1',
  ManagersManager = 'managers.manager.v1',
  MatchingAssignment = 'matching.assignment.v1',
  MatchingRun = 'matching.run.v1',
}

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
