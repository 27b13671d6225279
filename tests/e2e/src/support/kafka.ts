import { Kafka, logLevel } from 'kafkajs';

/**
 * Starts a consumer group at the current end of each topic, before its service first joins it.
 *
 * The local broker is shared by every test run, and its test.* topics keep what earlier runs published: replayed
 * into fresh databases, that history is mostly noise (e.g. one user id under many customer ids, from profiles'
 * databases recreated per run), which a consumer dead-letters only after its retries. A suite that needs a
 * quiet world skips it this way, as matching's own harness does.
 */
export async function startGroupsAtEnd(brokers: string[], groups: Record<string, string[]>): Promise<void> {
  const admin = new Kafka({ clientId: 'e2e-offsets', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    for (const [groupId, topics] of Object.entries(groups)) {
      for (const topic of topics.filter((t) => existing.has(t))) {
        const offsets = await admin.fetchTopicOffsets(topic);
        await admin.setOffsets({ groupId, topic, partitions: offsets.map((o) => ({ partition: o.partition, offset: o.high })) });
      }
    }
  } finally {
    await admin.disconnect();
  }
}
