import { defineEntity, p } from '@mikro-orm/core';

/** An event waiting to be published; written in the same transaction as the state change it describes. */
export const OutboxMessageSchema = defineEntity({
  name: 'OutboxMessage',
  tableName: 'outbox_message',
  properties: {
    /** The event id: consumers dedupe on it, so a re-publish after a crash is harmless. */
    id: p.string().length(36).primary(),
    topic: p.string().length(200),
    messageKey: p.string().length(200),
    eventType: p.string().length(100),
    envelope: p.text(),
    createdAt: p.datetime(3),
    publishedAt: p.datetime(3).nullable(),
  },
  indexes: [{ name: 'outbox_message_pending_idx', properties: ['publishedAt', 'createdAt'] }],
});
export class OutboxMessage extends OutboxMessageSchema.class {}
OutboxMessageSchema.setClass(OutboxMessage);

/** An event a consumer has applied; stored in the same transaction as the effect, so a redelivery is skipped. */
export const ProcessedEventSchema = defineEntity({
  name: 'ProcessedEvent',
  tableName: 'processed_event',
  properties: {
    consumer: p.string().length(100).primary(),
    eventId: p.string().length(36).primary(),
    topic: p.string().length(200),
    eventType: p.string().length(100),
    processedAt: p.datetime(3),
  },
});
export class ProcessedEvent extends ProcessedEventSchema.class {}
ProcessedEventSchema.setClass(ProcessedEvent);

export const messagingEntities = [OutboxMessageSchema, ProcessedEventSchema];

/** DDL for a service's initial migration (kept in step with the entities by each service's schema-diff test). */
export function messagingTablesSql(): string[] {
  return [
    'create table `outbox_message` (`id` varchar(36) not null, `topic` varchar(200) not null, `message_key` varchar(200) not null, `event_type` varchar(100) not null, `envelope` text not null, `created_at` datetime(3) not null, `published_at` datetime(3) null, primary key (`id`)) default character set utf8mb4 engine = InnoDB;',
    'alter table `outbox_message` add index `outbox_message_pending_idx`(`published_at`, `created_at`);',
    'create table `processed_event` (`consumer` varchar(100) not null, `event_id` varchar(36) not null, `topic` varchar(200) not null, `event_type` varchar(100) not null, `processed_at` datetime(3) not null, primary key (`consumer`, `event_id`)) default character set utf8mb4 engine = InnoDB;',
  ];
}
