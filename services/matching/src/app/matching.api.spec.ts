import { createEnvelope, ProfileCreatedV2, ProfileUpdated, Topic, type MatchExplanation } from '@relationship/contracts';
import { eventually } from '@relationship/testing';
import { bearer, customerSnapshot, managerSnapshot, MatchingHarness } from '../testing/matching-harness';

const sumOf = (e: MatchExplanation) => Math.round(e.contributions.reduce((s, c) => s + c.points, 0) * 100) / 100;

describe('matching API (real MariaDB, Kafka, Redis)', () => {
  const h = new MatchingHarness();
  const admin = bearer('admin');

  beforeAll(async () => {
    await h.start();
  });
  afterAll(async () => {
    await h.stop();
  });

  describe('scores and explanations', () => {
    it('ranks eligible managers with contributions that sum to each score, and names why the others are excluded', async () => {
      const good = await h.registerManagerQuietly(managerSnapshot({ expertise: ['wealth_management', 'retirement'] }));
      const weaker = await h.registerManagerQuietly(managerSnapshot({ expertise: ['insurance'], city: '北京', branchId: 'BJ-CY-001' }));
      const onLeave = await h.registerManagerQuietly(managerSnapshot({ availability: 'on_leave' }));
      const englishOnly = await h.registerManagerQuietly(managerSnapshot({ languages: ['en'] }));
      const customer = await h.upsertCustomer(customerSnapshot());

      const response = await h.app.inject({ method: 'GET', url: `/api/matching/customers/${customer.customerId}/scores?limit=50`, headers: admin });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      const ids = body.eligible.map((e: { managerId: string }) => e.managerId);
      expect(ids.indexOf(good.managerId)).toBeLessThan(ids.indexOf(weaker.managerId));
      for (const entry of body.eligible) {
        expect(sumOf(entry.explanation)).toBe(entry.score);
        expect(entry.score).toBeGreaterThan(0);
        expect(entry.score).toBeLessThanOrEqual(100);
      }
      const excluded = Object.fromEntries(body.excluded.map((e: { managerId: string; exclusions: string[] }) => [e.managerId, e.exclusions]));
      expect(excluded[onLeave.managerId]).toEqual(['manager_not_active']);
      expect(excluded[englishOnly.managerId]).toEqual(['no_shared_language']);

      const pair = await h.app.inject({ method: 'GET', url: `/api/matching/customers/${customer.customerId}/scores/${englishOnly.managerId}`, headers: admin });
      expect(pair.json()).toMatchObject({ eligible: false, exclusions: ['no_shared_language'] });
    });

    it('drops profiling factors from the score of a customer without profiling consent', async () => {
      const manager = await h.registerManagerQuietly(managerSnapshot());
      const customer = await h.upsertCustomer(customerSnapshot({ consent: { profiling: false, marketing: false, data_sharing: false } }));
      const pair = (await h.app.inject({ method: 'GET', url: `/api/matching/customers/${customer.customerId}/scores/${manager.managerId}`, headers: admin })).json();
      const factors = pair.explanation.contributions.map((c: { factor: string }) => c.factor);
      expect(factors).not.toContain('needFit');
      expect(factors).not.toContain('sharedInterests');
      expect(pair.explanation.omitted.map((o: { factor: string }) => o.factor).sort()).toEqual(['needFit', 'sharedInterests']);
      expect(sumOf(pair.explanation)).toBe(pair.score);
    });

    it('rejects bad input with 400s that name the parameter', async () => {
      const bad = await h.app.inject({ method: 'GET', url: '/api/matching/customers/not-a-uuid/scores', headers: admin });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toContain('customerId');
      const limit = await h.app.inject({ method: 'GET', url: `/api/matching/customers/${crypto.randomUUID()}/scores?limit=0`, headers: admin });
      expect(limit.statusCode).toBe(400);
      const unknown = await h.app.inject({ method: 'GET', url: `/api/matching/customers/${crypto.randomUUID()}/scores`, headers: admin });
      expect(unknown.statusCode).toBe(404);
    });
  });

  describe('incremental rematch and capacity', () => {
    it('assigns a new customer to the best manager with room, and the database refuses any load above capacity', async () => {
      const tiny = await h.upsertManager(managerSnapshot({ capacity: 1, city: '厦门', branchId: 'XM-SM-001', interests: ['sailing'] }));
      const first = await h.upsertCustomer(customerSnapshot({ city: '厦门', homeBranchId: 'XM-SM-001', interests: ['sailing'] }));
      expect((await h.assignment(first.customerId)).manager_id).toBe(tiny.managerId);
      const second = await h.upsertCustomer(customerSnapshot({ city: '厦门', homeBranchId: 'XM-SM-001', interests: ['sailing'] }));
      expect((await h.assignment(second.customerId)).manager_id).not.toBe(tiny.managerId);

      // Straight SQL, bypassing every code path: the trigger + CHECK refuse the second customer.
      await expect(h.sql('update assignment set manager_id = ?, state = ?, proposal_id = uuid() where customer_id = ?', [tiny.managerId, 'proposed', second.customerId])).rejects.toThrow(
        /CONSTRAINT|check/i,
      );
      for (const load of await h.loads()) {
        expect(Number(load.assigned)).toBe(Number(load.counted));
        expect(Number(load.assigned)).toBeLessThanOrEqual(Number(load.capacity));
      }
    });

    it('moves a manager’s whole book when they leave, and only the overflow when their capacity is cut', async () => {
      const city = { city: '成都', branchId: 'CD-JJ-001' } as const;
      const leaving = await h.upsertManager(managerSnapshot({ ...city, capacity: 3, interests: ['hotpot'] }));
      const customers = [];
      for (let i = 0; i < 3; i++) customers.push(await h.upsertCustomer(customerSnapshot({ city: '成都', homeBranchId: 'CD-JJ-001', interests: ['hotpot'] })));
      for (const c of customers) expect((await h.assignment(c.customerId)).manager_id).toBe(leaving.managerId);
      const other = await h.upsertManager(managerSnapshot({ ...city, capacity: 10 }));

      await h.upsertManager({ ...leaving, capacity: 1 });
      const stillWithLeaving = (await Promise.all(customers.map((c) => h.assignment(c.customerId)))).filter((a) => a.manager_id === leaving.managerId);
      expect(stillWithLeaving).toHaveLength(1);
      expect((await h.loads()).find((l) => l.manager_id === leaving.managerId)).toMatchObject({ capacity: 1 });

      await h.upsertManager({ ...leaving, capacity: 1, availability: 'left' });
      for (const c of customers) expect((await h.assignment(c.customerId)).manager_id).toBe(other.managerId);
      const left = await h.outbox('AssignmentChanged');
      expect(left.some((e) => e.payload['reason'] === 'manager_left' && e.payload['previousManagerId'] === leaving.managerId)).toBe(true);
    });

    it('ignores a stale profile version and rematches when a change makes the current manager impossible', async () => {
      const zhOnly = await h.upsertManager(managerSnapshot({ city: '西安', branchId: 'XA-YT-001', languages: ['zh-CN'], capacity: 5, interests: ['hiking'] }));
      const customer = await h.upsertCustomer(customerSnapshot({ city: '西安', homeBranchId: 'XA-YT-001', interests: ['hiking'] }));
      expect((await h.assignment(customer.customerId)).manager_id).toBe(zhOnly.managerId);
      const bilingual = await h.upsertManager(managerSnapshot({ city: '西安', branchId: 'XA-YT-001', languages: ['zh-CN', 'en'], capacity: 5 }));

      await h.upsertCustomer({ ...customer, preferredLanguage: 'en' });
      const moved = await h.assignment(customer.customerId);
      expect(moved.manager_id).toBe(bilingual.managerId);
      const [changed] = (await h.outbox('AssignmentChanged', customer.customerId)).slice(-1);
      expect(changed.payload).toMatchObject({ previousManagerId: zhOnly.managerId, managerId: bilingual.managerId, reason: 'incremental' });
      expect(sumOf(changed.payload['explanation'] as MatchExplanation)).toBe(changed.payload['score']);
    });

    it('a manager on leave keeps their book through profile changes but takes nobody new', async () => {
      const where = { city: '南京', branchId: 'NJ-GL-001' } as const;
      const manager = await h.upsertManager(managerSnapshot({ ...where, capacity: 5, interests: ['calligraphy'] }));
      const customer = await h.upsertCustomer(customerSnapshot({ city: '南京', homeBranchId: 'NJ-GL-001', interests: ['calligraphy'] }));
      expect((await h.assignment(customer.customerId)).manager_id).toBe(manager.managerId);
      await h.upsertManager({ ...manager, availability: 'on_leave' });
      const colleague = await h.upsertManager(managerSnapshot({ ...where, capacity: 5 }));
      await h.upsertCustomer({ ...customer, activityLevel: 'high' });
      expect((await h.assignment(customer.customerId)).manager_id).toBe(manager.managerId);
      const newcomer = await h.upsertCustomer(customerSnapshot({ city: '南京', homeBranchId: 'NJ-GL-001', interests: ['calligraphy'] }));
      expect((await h.assignment(newcomer.customerId)).manager_id).toBe(colleague.managerId);
    });

    it('leaves bulk-imported customers for the next rebalance, and says how many wait', async () => {
      await h.upsertManager(managerSnapshot({ city: '苏州', branchId: 'SU-GY-001', capacity: 5 }));
      const before = (await h.app.inject({ method: 'GET', url: '/api/matching/stats', headers: admin })).json();
      const imported = customerSnapshot({ city: '苏州', homeBranchId: 'SU-GY-001' });
      const event = createEnvelope({
        contract: ProfileCreatedV2,
        source: 'profiles',
        payload: { customerId: imported.customerId, profileVersion: 1, origin: 'import', snapshot: imported, createdAt: new Date().toISOString() },
      });
      await h.publish(Topic.ProfilesCustomer, event);
      await h.processed(event.id);
      expect((await h.assignment(imported.customerId)).manager_id).toBeNull();
      const after = (await h.app.inject({ method: 'GET', url: '/api/matching/stats', headers: admin })).json();
      expect(after.customers.known).toBe(before.customers.known + 1);
      expect(after.customers.unassigned).toBe(before.customers.unassigned + 1);
      expect(after.managers.assigned).toBe(after.customers.assigned);
      expect((await h.app.inject({ method: 'GET', url: '/api/matching/stats', headers: bearer('manager') })).statusCode).toBe(403);
    });

    it('consumes ProfileUpdated from Kafka and publishes MatchProposed and AssignmentChanged to Kafka', async () => {
      const manager = await h.upsertManager(managerSnapshot({ city: '青岛', branchId: 'QD-SN-001', capacity: 5 }));
      const seen = await h.collect(Topic.MatchingAssignment);
      const customer = customerSnapshot({ city: '青岛', homeBranchId: 'QD-SN-001' });
      const event = createEnvelope({
        contract: ProfileUpdated,
        source: 'profiles',
        correlationId: `req-${customer.customerId}`,
        payload: { customerId: customer.customerId, profileVersion: 3, changedFields: ['city'], snapshot: customer, updatedAt: new Date().toISOString() },
      });
      await h.publish(Topic.ProfilesCustomer, event);
      await h.processed(event.id);
      const proposed = await eventually('MatchProposed on Kafka', async () =>
        seen.find((e) => e.type === 'MatchProposed' && e.payload['customerId'] === customer.customerId),
      );
      expect(proposed.payload['managerId']).toBe(manager.managerId);
      expect(proposed.correlationId).toBe(`req-${customer.customerId}`);
      await eventually('AssignmentChanged on Kafka', async () => seen.find((e) => e.type === 'AssignmentChanged' && e.payload['customerId'] === customer.customerId));

      // An older version of the same portrait changes nothing.
      const stale = createEnvelope({
        contract: ProfileUpdated,
        source: 'profiles',
        payload: { customerId: customer.customerId, profileVersion: 2, changedFields: ['preferredLanguage'], snapshot: { ...customer, preferredLanguage: 'ja' }, updatedAt: new Date().toISOString() },
      });
      await h.publish(Topic.ProfilesCustomer, stale);
      await h.processed(stale.id);
      const [row] = await h.sql<{ snapshot: string }>('select snapshot from customer_snapshot where customer_id = ?', [customer.customerId]);
      expect(JSON.parse(String(row.snapshot)).preferredLanguage).toBe('zh-CN');
      expect((await h.assignment(customer.customerId)).manager_id).toBe(manager.managerId);
    });
  });

  it('exports assignment writes and rematch durations on /metrics', async () => {
    const text = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    const applied = /matching_assignment_writes_total\{reason="incremental",outcome="applied",service="matching"\} (\d+)/.exec(text);
    expect(Number(applied?.[1])).toBeGreaterThan(0);
    expect(text).toMatch(/matching_rematch_duration_seconds_count\{service="matching",status="moved"\} [1-9]/);
    expect(text).toContain('matching_assignment_writes_total{reason="rebalance",outcome="full",service="matching"} 0');
  });

  describe('manual adjustment, maker-checker, proposals, history', () => {
    const city = { city: '长沙', branchId: 'CS-FR-001' } as const;

    it('reassigns with a reason (pinned, audited, in the history) and refuses bad requests clearly', async () => {
      const a = await h.upsertManager(managerSnapshot({ ...city, capacity: 5, interests: ['opera'] }));
      const b = await h.upsertManager(managerSnapshot({ ...city, capacity: 1 }));
      const customer = await h.upsertCustomer(customerSnapshot({ city: '长沙', homeBranchId: 'CS-FR-001', interests: ['opera'] }));
      expect((await h.assignment(customer.customerId)).manager_id).toBe(a.managerId);
      const url = `/api/matching/customers/${customer.customerId}/reassign`;
      const adminId = crypto.randomUUID();

      const noReason = await h.app.inject({ method: 'POST', url, headers: admin, payload: { managerId: b.managerId } });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().message).toContain('reason');
      const asManager = await h.app.inject({ method: 'POST', url, headers: bearer('manager'), payload: { managerId: b.managerId, reason: 'client asked' } });
      expect(asManager.statusCode).toBe(403);
      const unknownManager = await h.app.inject({ method: 'POST', url, headers: admin, payload: { managerId: crypto.randomUUID(), reason: 'client asked' } });
      expect(unknownManager.statusCode).toBe(422);

      const moved = await h.app.inject({ method: 'POST', url, headers: bearer('admin', adminId), payload: { managerId: b.managerId, reason: 'client asked for a female manager' } });
      expect(moved.statusCode).toBe(201);
      expect(moved.json()).toMatchObject({ status: 'applied', assignment: { managerId: b.managerId, pinned: true } });
      const history = (await h.app.inject({ method: 'GET', url: `/api/matching/history?customerId=${customer.customerId}`, headers: admin })).json();
      expect(history.items[0]).toMatchObject({ event: 'assigned', reason: 'manual', managerId: b.managerId, previousManagerId: a.managerId, note: 'client asked for a female manager', actor: { id: adminId, role: 'admin' } });
      expect(await h.count('audit_entry', "action = 'assignment.changed' and entity_id = ? and actor_id = ?", [customer.customerId, adminId])).toBe(1);

      // b is now full: the database says no, the API says 409 and why.
      const other = await h.upsertCustomer(customerSnapshot({ city: '长沙', homeBranchId: 'CS-FR-001' }));
      const full = await h.app.inject({ method: 'POST', url: `/api/matching/customers/${other.customerId}/reassign`, headers: admin, payload: { managerId: b.managerId, reason: 'try it' } });
      expect(full.statusCode).toBe(409);
      expect(full.json().message).toContain('capacity');
    });

    it("shows a customer their own timeline without the staff's notes, reasons, runs or ids", async () => {
      const userC = crypto.randomUUID();
      const adminId = crypto.randomUUID();
      const a = await h.upsertManager(managerSnapshot({ ...city, capacity: 5 }));
      const b = await h.upsertManager(managerSnapshot({ ...city, capacity: 5 }));
      const customer = await h.upsertCustomer(customerSnapshot({ city: '长沙', homeBranchId: 'CS-FR-001', userId: userC }));
      const current = (await h.assignment(customer.customerId)).manager_id;
      const target = current === a.managerId ? b : a;
      const note = 'internal: the client complained loudly about their previous manager';
      const moved = await h.app.inject({
        method: 'POST',
        url: `/api/matching/customers/${customer.customerId}/reassign`,
        headers: bearer('admin', adminId),
        payload: { managerId: target.managerId, reason: note },
      });
      expect(moved.statusCode).toBe(201);

      const staff = (await h.app.inject({ method: 'GET', url: `/api/matching/history?customerId=${customer.customerId}`, headers: bearer('admin') })).json();
      expect(staff.items[0]).toMatchObject({ note, actor: { id: adminId, role: 'admin' } });

      const own = await h.app.inject({ method: 'GET', url: '/api/matching/history', headers: bearer('customer', userC) });
      expect(own.statusCode).toBe(200);
      const body = own.json();
      expect(body.total).toBe(staff.total);
      for (const item of body.items) expect(Object.keys(item).sort()).toEqual(['assignmentVersion', 'at', 'event', 'id']);
      expect(body.items[0]).toEqual({ id: staff.items[0].id, assignmentVersion: staff.items[0].assignmentVersion, event: 'assigned', at: staff.items[0].at });
      expect(own.body).not.toContain(note);
      expect(own.body).not.toContain(adminId);
      expect(own.body).not.toContain(target.managerId);
    });

    it('maker-checker: the request waits, the maker cannot approve it, a second admin can', async () => {
      const a = await h.upsertManager(managerSnapshot({ ...city, capacity: 5, interests: ['chess'] }));
      const b = await h.upsertManager(managerSnapshot({ ...city, capacity: 5 }));
      const customer = await h.upsertCustomer(customerSnapshot({ city: '长沙', homeBranchId: 'CS-FR-001', interests: ['chess'] }));
      const target = (await h.assignment(customer.customerId)).manager_id === a.managerId ? b : a;
      const maker = crypto.randomUUID();
      const requested = await h.app.inject({
        method: 'POST',
        url: `/api/matching/customers/${customer.customerId}/reassign`,
        headers: bearer('admin', maker),
        payload: { managerId: target.managerId, reason: 'branch reorganisation', requireApproval: true },
      });
      expect(requested.statusCode).toBe(202);
      const adjustment = requested.json().adjustment;
      expect(adjustment.status).toBe('pending');
      expect((await h.assignment(customer.customerId)).manager_id).not.toBe(target.managerId);

      const self = await h.app.inject({ method: 'POST', url: `/api/matching/adjustments/${adjustment.id}/approve`, headers: bearer('admin', maker), payload: {} });
      expect(self.statusCode).toBe(403);
      const approved = await h.app.inject({ method: 'POST', url: `/api/matching/adjustments/${adjustment.id}/approve`, headers: admin, payload: { note: 'ok' } });
      expect(approved.statusCode).toBe(200);
      expect(approved.json().status).toBe('applied');
      expect((await h.assignment(customer.customerId)).manager_id).toBe(target.managerId);
      const again = await h.app.inject({ method: 'POST', url: `/api/matching/adjustments/${adjustment.id}/reject`, headers: admin, payload: {} });
      expect(again.statusCode).toBe(409);
    });

    it('the proposed manager accepts or declines; a decline rematches the customer elsewhere and never back', async () => {
      const userA = crypto.randomUUID();
      const a = await h.upsertManager(managerSnapshot({ city: '沈阳', branchId: 'SY-HP-001', capacity: 5, userId: userA, interests: ['skiing'] }));
      const b = await h.upsertManager(managerSnapshot({ city: '沈阳', branchId: 'SY-HP-001', capacity: 5 }));
      const first = await h.upsertCustomer(customerSnapshot({ city: '沈阳', homeBranchId: 'SY-HP-001', interests: ['skiing'] }));
      const second = await h.upsertCustomer(customerSnapshot({ city: '沈阳', homeBranchId: 'SY-HP-001', interests: ['skiing'] }));
      const p1 = (await h.assignment(first.customerId)).proposal_id!;
      const p2 = (await h.assignment(second.customerId)).proposal_id!;
      expect((await h.assignment(first.customerId)).manager_id).toBe(a.managerId);

      const book = (await h.app.inject({ method: 'GET', url: '/api/matching/assignments?state=proposed', headers: bearer('manager', userA) })).json();
      expect(book.items.map((i: { customerId: string }) => i.customerId).sort()).toEqual([first.customerId, second.customerId].sort());
      const stranger = await h.app.inject({ method: 'POST', url: `/api/matching/proposals/${p1}/accept`, headers: bearer('manager') });
      expect(stranger.statusCode).toBe(403);

      const accepted = await h.app.inject({ method: 'POST', url: `/api/matching/proposals/${p1}/accept`, headers: bearer('manager', userA) });
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({ state: 'accepted', managerId: a.managerId });
      expect((await h.outbox('MatchAccepted', first.customerId))[0].payload).toMatchObject({ proposalId: p1, managerId: a.managerId, acceptedBy: userA });

      const noReason = await h.app.inject({ method: 'POST', url: `/api/matching/proposals/${p2}/decline`, headers: bearer('manager', userA), payload: {} });
      expect(noReason.statusCode).toBe(400);
      const declined = await h.app.inject({ method: 'POST', url: `/api/matching/proposals/${p2}/decline`, headers: bearer('manager', userA), payload: { reason: 'conflict of interest' } });
      expect(declined.statusCode).toBe(200);
      expect(declined.json()).toMatchObject({ managerId: b.managerId, state: 'proposed' });
      expect((await h.outbox('MatchRejected', second.customerId))[0].payload).toMatchObject({ proposalId: p2, reason: 'conflict of interest' });
      expect(await h.count('match_feedback', 'customer_id in (?, ?)', [first.customerId, second.customerId])).toBe(2);

      // Even when b leaves, the customer does not go back to the manager who declined them.
      await h.upsertManager({ ...b, availability: 'left' });
      expect((await h.assignment(second.customerId)).manager_id).not.toBe(a.managerId);
      const history = (await h.app.inject({ method: 'GET', url: `/api/matching/history?managerId=${a.managerId}`, headers: admin })).json();
      expect(history.items.map((i: { event: string }) => i.event)).toEqual(expect.arrayContaining(['assigned', 'accepted', 'declined']));
    });

    it('a customer sees only their own manager; a manager only their own book', async () => {
      const userM = crypto.randomUUID();
      const userC = crypto.randomUUID();
      const manager = await h.upsertManager(managerSnapshot({ city: '武汉', branchId: 'WH-JH-001', capacity: 5, userId: userM }));
      const customer = await h.upsertCustomer(customerSnapshot({ city: '武汉', homeBranchId: 'WH-JH-001', userId: userC }));
      const other = await h.upsertCustomer(customerSnapshot({ city: '武汉', homeBranchId: 'WH-JH-001', segment: 'mass' }));
      await h.sql('update assignment set manager_id = null, state = null, proposal_id = null, version = version + 1 where customer_id = ?', [other.customerId]);

      const mine = await h.app.inject({ method: 'GET', url: '/api/matching/me/assignment', headers: bearer('customer', userC) });
      expect(mine.statusCode).toBe(200);
      expect(mine.json()).toMatchObject({ customerId: customer.customerId, managerId: manager.managerId, manager: { displayName: manager.displayName } });
      const notMine = await h.app.inject({ method: 'GET', url: `/api/matching/customers/${other.customerId}/assignment`, headers: bearer('customer', userC) });
      expect(notMine.statusCode).toBe(403);
      const inBook = await h.app.inject({ method: 'GET', url: `/api/matching/customers/${customer.customerId}/assignment`, headers: bearer('manager', userM) });
      expect(inBook.statusCode).toBe(200);
      const outOfBook = await h.app.inject({ method: 'GET', url: `/api/matching/customers/${other.customerId}/scores`, headers: bearer('manager', userM) });
      expect(outOfBook.statusCode).toBe(403);
      const runs = await h.app.inject({ method: 'POST', url: '/api/matching/runs', headers: bearer('manager', userM), payload: { mode: 'dry_run' } });
      expect(runs.statusCode).toBe(403);
    });
  });
});
