import { z } from 'zod';
import { EventContract } from './define-event';
import { EventEnvelope, envelopeSchema } from './envelope';
import { AssignmentChanged } from './events/assignment-changed';
import { MatchAccepted } from './events/match-accepted';
import { MatchProposed } from './events/match-proposed';
import { MatchRejected } from './events/match-rejected';
import { RebalanceCompleted } from './events/rebalance-completed';
import { ManagerAvailabilityChanged } from './events/manager-availability-changed';
import { ManagerCapacityChanged } from './events/manager-capacity-changed';
import { ManagerRegistered } from './events/manager-registered';
import { ManagerUpdated } from './events/manager-updated';
import { ProfileCreated, ProfileCreatedV2 } from './events/profile-created';
import { ProfileUpdated } from './events/profile-updated';
import { UserDeactivated } from './events/user-deactivated';
import { UserRegistered } from './events/user-registered';
import { UserRoleChanged } from './events/user-role-changed';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyContract = EventContract<string, any>;

/** Every event contract the platform knows, for validation at the edge. */
export const EVENT_CONTRACTS: readonly AnyContract[] = [
  UserRegistered,
  UserRoleChanged,
  UserDeactivated,
  ProfileCreated,
  ProfileCreatedV2,
  ProfileUpdated,
  ManagerRegistered,
  ManagerUpdated,
  ManagerCapacityChanged,
  ManagerAvailabilityChanged,
  AssignmentChanged,
  MatchProposed,
  MatchAccepted,
  MatchRejected,
  RebalanceCompleted,
];

const byTypeAndVersion = new Map(EVENT_CONTRACTS.map((c) => [`${c.type}@${c.version}`, c]));

export function findContract(type: string, version: number): AnyContract | undefined {
  return byTypeAndVersion.get(`${type}@${version}`);
}

/** Why an incoming message was refused: it goes to the dead-letter topic with this reason. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/** Parses and validates a raw message value (string, Buffer or object) into a typed envelope. */
export function parseEnvelope(raw: unknown): EventEnvelope {
  let value = raw;
  if (Buffer.isBuffer(value)) value = value.toString('utf8');
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new ContractViolation('message value is not valid JSON');
    }
  }
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success) throw new ContractViolation(`invalid envelope: ${describe(envelope.error)}`);
  const contract = findContract(envelope.data.type, envelope.data.version);
  if (!contract) {
    throw new ContractViolation(`unknown event ${envelope.data.type} v${envelope.data.version}`);
  }
  const payload = contract.schema.safeParse(envelope.data.payload);
  if (!payload.success) {
    throw new ContractViolation(`invalid ${contract.type} v${contract.version} payload: ${describe(payload.error)}`);
  }
  if (contract.keyOf(payload.data) !== envelope.data.key) {
    throw new ContractViolation(`envelope key ${envelope.data.key} does not match the payload's entity id`);
  }
  return { ...envelope.data, payload: payload.data };
}

export interface NewEvent<C extends AnyContract> {
  contract: C;
  payload: z.infer<C['schema']>;
  source: string;
  correlationId?: string | null;
  id?: string;
  occurredAt?: Date;
}

/** Builds a validated envelope; an invalid payload is a programming error and throws before anything is written. */
export function createEnvelope<C extends AnyContract>(event: NewEvent<C>): EventEnvelope<z.infer<C['schema']>> {
  const payload = event.contract.schema.parse(event.payload);
  return {
    id: event.id ?? crypto.randomUUID(),
    type: event.contract.type,
    version: event.contract.version,
    occurredAt: (event.occurredAt ?? new Date()).toISOString(),
    source: event.source,
    key: event.contract.keyOf(payload),
    correlationId: event.correlationId ?? null,
    payload,
  };
}

export function isEventOf<C extends AnyContract>(
  envelope: EventEnvelope,
  contract: C,
): envelope is EventEnvelope<z.infer<C['schema']>> {
  return envelope.type === contract.type && envelope.version === contract.version;
}
