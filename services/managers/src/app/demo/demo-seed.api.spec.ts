import { eventually } from '@relationship/testing';
import { bearer, ManagersHarness, userRegistered } from '../../testing/managers-test-app';
import { DemoSeedService } from './demo-seed.service';
import { demoAccountEmail } from './demo-managers';

describe('demo seed (DEMO_MODE=true, real MariaDB and Kafka)', () => {
  const h = new ManagersHarness();

  beforeAll(async () => {
    await h.start({ DEMO_MODE: 'true' });
  }, 120_000);

  afterAll(async () => {
    await h.stop();
  });

  it('seeds 50 managers at start-up through the service, each with its events', async () => {
    expect(await h.count('manager', "employee_no like 'RM%'")).toBe(50);
    expect(await h.count('manager', "employee_no like 'RM%' and availability = 'on_leave' and cover_manager_id is not null and leave_until is not null")).toBe(4);
    expect(await h.count('manager', "employee_no like 'RM%' and availability = 'left'")).toBe(1);
    const registered = await h.sql<{ n: number }>(
      "select count(*) as n from outbox_message o join manager m on m.id = o.message_key where o.event_type = 'ManagerRegistered' and m.employee_no like 'RM%'",
    );
    expect(Number(registered[0].n)).toBe(50);
    const availability = await h.sql<{ n: number }>(
      "select count(*) as n from outbox_message o join manager m on m.id = o.message_key where o.event_type = 'ManagerAvailabilityChanged' and m.employee_no like 'RM%'",
    );
    expect(Number(availability[0].n)).toBe(5);
    expect(await h.count('audit_entry', "action = 'manager.created' and actor_id is null and reason = 'demo-seed'")).toBe(50);

    const demo = await h.sql<{ email: string; display_name: string; branch_id: string }>(
      "select email, display_name, branch_id from manager where employee_no in ('RM000001', 'RM000005') order by employee_no",
    );
    expect(demo).toEqual([
      { email: demoAccountEmail(1), display_name: '郑建国', branch_id: 'SH-PD-001' },
      { email: demoAccountEmail(5), display_name: '冯立新', branch_id: 'SZ-FT-001' },
    ]);
  });

  it('is idempotent: seeding again creates nothing and emits nothing', async () => {
    const outbox = await h.count('outbox_message', "envelope like '%\"employeeNo\":\"RM%'");
    expect(await h.app.get(DemoSeedService).seed()).toBe(0);
    expect(await h.count('manager', "employee_no like 'RM%'")).toBe(50);
    expect(await h.count('outbox_message', "envelope like '%\"employeeNo\":\"RM%'")).toBe(outbox);
  });

  it("links a demo account's UserRegistered to its pre-created record", async () => {
    // Kafka may still hold UserRegistered events from earlier demo runs (other user ids, same emails): the first one
    // seen links the record; later ones become drafts. Either way the account ends up with exactly one record.
    const event = userRegistered({ email: demoAccountEmail(3), displayName: '韩志强' });
    await h.deliver(event);
    const [record] = await h.sql<{ user_id: string | null }>("select user_id from manager where employee_no = 'RM000003'");
    expect(record.user_id).not.toBeNull();
    expect(await h.count('manager', 'user_id = ?', [event.key])).toBe(1);
    const me = await eventually('me', async () => {
      const r = await h.app.inject({ method: 'GET', url: '/api/managers/me', headers: bearer('manager', event.key) });
      return r.statusCode === 200 ? r.json() : undefined;
    });
    if (record.user_id === event.key) expect(me).toMatchObject({ employeeNo: 'RM000003', email: demoAccountEmail(3) });
    else expect(me).toMatchObject({ employeeNo: expect.stringMatching(/^PENDING-/), email: null });
  });
});
