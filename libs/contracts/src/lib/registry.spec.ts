import { ContractViolation, createEnvelope, parseEnvelope } from './registry';
import { UserRegistered } from './events/user-registered';
import { Topic, deadLetterTopic } from './topics';

const payload = {
  userId: '3f1c9a59-8e43-4d0a-9a4e-2f4f8a1b2c3d',
  username: 'customer1',
  role: 'customer' as const,
  displayName: 'Customer One',
  email: 'c1@example.com',
  phone: null,
  registeredAt: '2026-11-25T10:00:00.000Z',
};

describe('event contracts', () => {
  it('builds an envelope keyed by the entity id and parses it back from JSON', () => {
    const envelope = createEnvelope({ contract: UserRegistered, payload, source: 'identity', correlationId: 'req-1' });
    expect(envelope.key).toBe(payload.userId);
    expect(envelope.type).toBe('UserRegistered');
    const parsed = parseEnvelope(Buffer.from(JSON.stringify(envelope)));
    expect(parsed).toEqual(envelope);
  });

  it('refuses to build an envelope from an invalid payload', () => {
    expect(() =>
      createEnvelope({ contract: UserRegistered, payload: { ...payload, role: 'root' as never }, source: 'identity' }),
    ).toThrow();
  });

  it.each([
    ['not JSON', '{oops', /not valid JSON/],
    ['missing envelope fields', JSON.stringify({ type: 'UserRegistered' }), /invalid envelope: id/],
    ['unknown type', null, /unknown event Nope v1/],
    ['payload with an extra field', null, /invalid UserRegistered v1 payload: .*unrecognized/i],
    ['key that does not match the payload', null, /does not match/],
  ])('rejects %s', (_name, raw, reason) => {
    const good = createEnvelope({ contract: UserRegistered, payload, source: 'identity' });
    const variants: Record<string, unknown> = {
      'unknown type': { ...good, type: 'Nope' },
      'payload with an extra field': { ...good, payload: { ...good.payload, extra: 1 } },
      'key that does not match the payload': { ...good, key: 'someone-else' },
    };
    const input = raw ?? JSON.stringify(variants[_name]);
    expect(() => parseEnvelope(input)).toThrow(ContractViolation);
    expect(() => parseEnvelope(input)).toThrow(reason);
  });

  it('names dead-letter topics after their source topic', () => {
    expect(deadLetterTopic(Topic.IdentityUser)).toBe(`${Topic.IdentityUser}.dlq`);
    expect(Topic.IdentityUser).toMatch(/identity\.user\.v1$/);
  });
});
