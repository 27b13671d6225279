import { PasswordHasher } from './password-hasher.service';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('hashes with argon2id and a fresh salt, and verifies only the right password', async () => {
    const [a, b] = await Promise.all([hasher.hash('Sunrise2026'), hasher.hash('Sunrise2026')]);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify(a, 'Sunrise2026')).toBe(true);
    expect(await hasher.verify(a, 'sunrise2026')).toBe(false);
  });

  it('fails closed on a malformed stored hash instead of throwing', async () => {
    await expect(hasher.verify('not-a-hash', 'x')).resolves.toBe(false);
  });

  it('spends a real verification on unknown users and always fails', async () => {
    const started = process.hrtime.bigint();
    await expect(hasher.verifyAgainstDummy('Sunrise2026')).resolves.toBe(false);
    await expect(hasher.verifyAgainstDummy('')).resolves.toBe(false);
    // Two argon2 runs at 19 MiB cannot finish in under a millisecond; a shortcut would.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeGreaterThan(1);
  });
});
