import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { auth, registerCustomer, resetData, startProfiles } from '../../testing/profiles-test-app';

/** Parallel portrait updates: deadlocks and lock waits are retried; a lost If-Match race is a 412, never a 500. */
describe('portrait updates under contention (real MariaDB)', () => {
  let app: NestFastifyApplication;
  const admin = () => auth('admin');

  beforeAll(async () => {
    app = await startProfiles();
  }, 90_000);
  afterAll(async () => {
    await app?.close();
  });
  beforeEach(async () => {
    await resetData(app);
  });

  const patch = (id: string, version: number, payload: Record<string, unknown>) =>
    app.inject({ method: 'PATCH', url: `/api/profiles/${id}`, headers: { ...admin(), 'if-match': `"${version}"` }, payload });

  it('ten portraits updated at once, and six updates of one portrait from the same version', async () => {
    const portraits = await Promise.all([...Array(10)].map(() => registerCustomer(app)));
    const many = await Promise.all(portraits.map((p, i) => patch(p.id, 1, { aumCny: 1_000_000 + i, city: '北京', tags: ['vip'] })));
    expect(many.map((r) => r.statusCode)).toEqual(Array(10).fill(200));

    const one = portraits[0].id;
    const raced = await Promise.all([...Array(6)].map((_, i) => patch(one, 2, { aumCny: 2_000_000 + i })));
    expect(raced.map((r) => r.statusCode).sort()).toEqual([200, 412, 412, 412, 412, 412]);
  });
});
