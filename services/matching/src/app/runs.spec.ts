import { Topic } from '@relationship/contracts';
import { eventually } from '@relationship/testing';
import { FeedbackStore } from './learning/feedback.store';
import { inTransaction } from '@relationship/persistence';
import { RebalanceProcessor } from './runs/rebalance.processor';
import { RebalanceQueue } from './runs/rebalance-queue';
import { bearer, customerSnapshot, managerSnapshot, MatchingHarness } from '../testing/matching-harness';

describe('rebalance runs on BullMQ workers, what-if, learned score (real MariaDB, Kafka, Redis)', () => {
  const h = new MatchingHarness();
  const admin = bearer('admin');
  const CITIES = [
    { city: '上海', branchId: 'SH-PD-001' },
    { city: '北京', branchId: 'BJ-CY-001' },
    { city: '深圳', branchId: 'SZ-FT-001' },
  ] as const;

  beforeAll(async () => {
    // Small chunks so that a run spreads over many jobs and both workers take some.
    await h.start({ REBALANCE_CHUNK_SIZE: '7', LEARNING_MIN_FEEDBACK: '60', STABILITY_THRESHOLD: '0' });
  });
  afterAll(async () => {
    await h.stop();
  });

  const snapshotOfAssignments = () => h.sql('select customer_id, manager_id, version, state from assignment order by customer_id');

  async function createRun(payload: Record<string, unknown>) {
    const response = await h.app.inject({ method: 'POST', url: '/api/matching/runs', headers: admin, payload });
    expect(response.statusCode).toBe(202);
    return response.json();
  }

  it('validates run requests', async () => {
    const bad = await h.app.inject({ method: 'POST', url: '/api/matching/runs', headers: admin, payload: { mode: 'now' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('mode');
    const badScope = await h.app.inject({ method: 'POST', url: '/api/matching/runs', headers: admin, payload: { mode: 'dry_run', scope: { customerIds: ['x'] } } });
    expect(badScope.statusCode).toBe(400);
    const missing = await h.app.inject({ method: 'GET', url: `/api/matching/runs/${crypto.randomUUID()}`, headers: admin });
    expect(missing.statusCode).toBe(404);
  });

  it('what-if changes nothing; applying it moves customers, never over capacity, and two workers share the chunks', async () => {
    // 60 customers waiting, managers registered without rematch, so only a rebalance assigns them.
    const managers = [];
    for (let i = 0; i < 9; i++) {
      const where = CITIES[i % 3];
      managers.push(await h.registerManagerQuietly(managerSnapshot({ ...where, capacity: 7 + (i % 3), expertise: i % 2 ? ['insurance', 'education'] : ['wealth_management', 'retirement'] })));
    }
    for (let i = 0; i < 60; i++) {
      const where = CITIES[i % 3];
      await h.upsertCustomer(customerSnapshot({ city: where.city, homeBranchId: where.branchId, needs: i % 2 ? ['insurance'] : ['retirement'] }));
    }
    await h.unassignAll();
    const before = await snapshotOfAssignments();
    const outboxBefore = await h.count('outbox_message');

    const [w1, w2] = [await h.startWorker(), await h.startWorker()];
    const calls = [0, 0];
    for (const [i, w] of [w1, w2].entries()) {
      const processor = w.get(RebalanceProcessor);
      const original = processor.applyChunk.bind(processor);
      jest.spyOn(processor, 'applyChunk').mockImplementation(async (runId, chunk) => {
        calls[i]++;
        await new Promise((r) => setTimeout(r, 20)); // long enough that the other replica picks up the next chunk
        return original(runId, chunk);
      });
    }

    const dry = await createRun({ mode: 'dry_run' });
    const dryDone = await h.runFinished(dry.id);
    expect(dryDone['status']).toBe('completed');
    expect(await snapshotOfAssignments()).toEqual(before);
    const view = (await h.app.inject({ method: 'GET', url: `/api/matching/runs/${dry.id}`, headers: admin })).json();
    expect(view.metrics.before).toMatchObject({ assigned: 0, unassigned: 60, totalScore: 0 });
    expect(view.metrics.after.assigned).toBe(60);
    expect(view.metrics.moved).toBe(60);
    expect(view.metrics.after.totalScore).toBeGreaterThan(0);
    // Only the RebalanceCompleted (dry_run) event was written, no assignment event.
    expect(await h.count('outbox_message')).toBe(outboxBefore + 1);
    const moves = (await h.app.inject({ method: 'GET', url: `/api/matching/runs/${dry.id}/moves?pageSize=100`, headers: admin })).json();
    expect(moves.total).toBe(60);
    expect(moves.items[0].explanation.eligible).toBe(true);

    const applied = (await h.app.inject({ method: 'POST', url: `/api/matching/runs/${dry.id}/apply`, headers: admin })).json();
    expect(applied.sourceRunId).toBe(dry.id);
    const done = await h.runFinished(applied.id);
    expect(done['status']).toBe('completed');
    const final = (await h.app.inject({ method: 'GET', url: `/api/matching/runs/${applied.id}`, headers: admin })).json();
    expect(final.moves).toMatchObject({ planned: 60, applied: 60, stale: 0, conflict: 0 });
    expect(final.progress).toBe(1);
    expect(calls[0]).toBeGreaterThan(0);
    expect(calls[1]).toBeGreaterThan(0);
    for (const load of await h.loads()) {
      expect(Number(load.assigned)).toBe(Number(load.counted));
      expect(Number(load.assigned)).toBeLessThanOrEqual(Number(load.capacity));
    }
    expect(await h.count('assignment', 'manager_id is null')).toBe(0);
    const changed = await h.outbox('AssignmentChanged');
    expect(changed.filter((e) => e.payload['runId'] === applied.id)).toHaveLength(60);
    const again = await h.app.inject({ method: 'POST', url: `/api/matching/runs/${dry.id}/apply`, headers: admin });
    expect(again.statusCode).toBe(409);
  });

  it('two rebalances at once and a racing manual reassignment never leave anyone with two managers or anyone over capacity', async () => {
    await h.unassignAll();
    const seen = await h.collect(Topic.MatchingRun);
    const [r1, r2] = await Promise.all([createRun({ mode: 'apply' }), createRun({ mode: 'apply', stabilityThreshold: 0 })]);
    const customers = await h.sql<{ customer_id: string }>('select customer_id from assignment limit 3');
    const [anyManager] = await h.sql<{ manager_id: string }>("select manager_id from manager_snapshot where availability = 'active' limit 1");
    const manual = await Promise.all(
      customers.map((c) =>
        h.app.inject({ method: 'POST', url: `/api/matching/customers/${c.customer_id}/reassign`, headers: admin, payload: { managerId: anyManager.manager_id, reason: 'race test' } }),
      ),
    );
    for (const response of manual) expect([201, 409, 422]).toContain(response.statusCode);
    const [d1, d2] = [await h.runFinished(r1.id), await h.runFinished(r2.id)];
    expect([d1['status'], d2['status']]).toEqual(['completed', 'completed']);

    for (const load of await h.loads()) {
      expect(Number(load.assigned)).toBe(Number(load.counted));
      expect(Number(load.assigned)).toBeLessThanOrEqual(Number(load.capacity));
    }
    // One row per customer is the schema; the histories agree with it: the last change of each customer is its row.
    const mismatched = await h.sql(
      `select a.customer_id from assignment a join assignment_history hst on hst.id = (select max(id) from assignment_history where customer_id = a.customer_id and event in ('assigned', 'unassigned'))
       where not (a.manager_id <=> hst.manager_id) or a.version <> hst.assignment_version`,
    );
    expect(mismatched).toEqual([]);
    // Every customer's history is one unbroken chain: each change starts from the previous one's manager and version,
    // so no two writers ever acted on the same state (which is what double-assigning would take).
    const broken = await h.sql(
      `select customer_id from (
         select customer_id, assignment_version, previous_manager_id,
           lag(manager_id) over (partition by customer_id order by id) as prev_manager,
           lag(assignment_version) over (partition by customer_id order by id) as prev_version
         from assignment_history where event in ('assigned', 'unassigned')) chain
       where prev_version is not null and (assignment_version <> prev_version + 1 or not (previous_manager_id <=> prev_manager))`,
    );
    expect(broken).toEqual([]);
    expect(await h.count('assignment_history', 'run_id in (?, ?)', [r1.id, r2.id])).toBeGreaterThan(0);
    await eventually('RebalanceCompleted of both runs on Kafka', async () =>
      [r1.id, r2.id].every((id) => seen.some((e) => e.type === 'RebalanceCompleted' && e.payload['runId'] === id)),
    );
  });

  it('a job that keeps failing marks its run failed with the error; retry resumes it', async () => {
    const id = crypto.randomUUID();
    // Options a planner cannot work with (no candidates per customer): every attempt of the plan job throws.
    await h.sql(
      "insert into rebalance_run (id, mode, status, scope, options, created_at) values (?, 'dry_run', 'queued', '{}', ?, now(3))",
      [id, JSON.stringify({ stabilityThreshold: 0, includePinned: false, candidatesPerCustomer: 0 })],
    );
    await h.app.get(RebalanceQueue).add({ name: 'plan', data: { runId: id } }, `plan-${id}`);
    const failed = await h.runFinished(id, 30_000);
    expect(failed['status']).toBe('failed');
    const view = (await h.app.inject({ method: 'GET', url: `/api/matching/runs/${id}`, headers: admin })).json();
    expect(view.error).toContain('k must be');

    await h.sql('update rebalance_run set options = ? where id = ?', [JSON.stringify({ stabilityThreshold: 0, includePinned: false, candidatesPerCustomer: 5 }), id]);
    const retried = await h.app.inject({ method: 'POST', url: `/api/matching/runs/${id}/retry`, headers: admin });
    expect(retried.statusCode).toBe(202);
    expect((await h.runFinished(id))['status']).toBe('completed');
    const again = await h.app.inject({ method: 'POST', url: `/api/matching/runs/${id}/retry`, headers: admin });
    expect(again.statusCode).toBe(409);
  });

  it('a cancelled run applies nothing more', async () => {
    await h.unassignAll();
    const run = await createRun({ mode: 'apply' });
    const cancelled = await h.app.inject({ method: 'POST', url: `/api/matching/runs/${run.id}/cancel`, headers: admin });
    if (cancelled.statusCode === 409) return; // finished before the cancel arrived: nothing to prove here
    expect(cancelled.statusCode).toBe(200);
    const settled = await h.runFinished(run.id);
    expect(settled['status']).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 500));
    const view = (await h.app.inject({ method: 'GET', url: `/api/matching/runs/${run.id}`, headers: admin })).json();
    expect(await h.count('run_move', "run_id = ? and state = 'applied'", [run.id])).toBe(view.moves.applied);
    expect(await h.count('assignment_history', 'run_id = ?', [run.id])).toBe(view.moves.applied);
    const again = await h.app.inject({ method: 'POST', url: `/api/matching/runs/${run.id}/cancel`, headers: admin });
    expect(again.statusCode).toBe(409);
  });

  it('trains a model from feedback on a queued job; scores then carry the model version and still sum exactly', async () => {
    const tooEarly = await h.app.inject({ method: 'POST', url: '/api/matching/models/train', headers: admin });
    expect(tooEarly.statusCode).toBe(202);
    await eventually('training skipped for lack of feedback', async () => (await h.count('audit_entry', "action = 'model.training_skipped'")) > 0);
    expect((await h.app.inject({ method: 'GET', url: '/api/matching/models', headers: admin })).json()).toEqual([]);

    const bad = await h.app.inject({ method: 'POST', url: '/api/matching/feedback', headers: admin, payload: { customerId: crypto.randomUUID(), managerId: crypto.randomUUID(), satisfaction: 9 } });
    expect(bad.statusCode).toBe(400);

    // Outcomes that depend on need fit: good when the manager's expertise covers the customer's need.
    const managers = await h.sql<{ manager_id: string; snapshot: string }>('select manager_id, snapshot from manager_snapshot');
    const customers = await h.sql<{ customer_id: string; snapshot: string }>('select customer_id, snapshot from customer_snapshot limit 60');
    const store = h.app.get(FeedbackStore);
    await inTransaction(h.orm, async (em) => {
      for (const c of customers) {
        const need = JSON.parse(String(c.snapshot)).needs[0];
        for (const m of managers.slice(0, 4)) {
          const fits = JSON.parse(String(m.snapshot)).expertise.includes(need);
          await store.record(em, { customerId: c.customer_id, managerId: m.manager_id, accepted: fits, source: 'proposal' });
          await store.record(em, { customerId: c.customer_id, managerId: m.manager_id, satisfaction: fits ? 5 : 2, retained: fits, source: 'survey' });
        }
      }
    });
    await h.app.inject({ method: 'POST', url: '/api/matching/models/train', headers: admin });
    const models = await eventually('a trained model', async () => {
      const list = (await h.app.inject({ method: 'GET', url: '/api/matching/models', headers: admin })).json();
      return list.length ? list : undefined;
    });
    expect(models[0].active).toBe(true);
    expect(models[0].metrics.auc).toBeGreaterThan(0.5);
    expect(models[0].coefficients.needFit).toBeGreaterThan(0);

    const customerId = customers[0].customer_id;
    const scores = await eventually('scores explained by the model', async () => {
      const body = (await h.app.inject({ method: 'GET', url: `/api/matching/customers/${customerId}/scores`, headers: admin })).json();
      return body.eligible[0]?.explanation.model === models[0].version ? body : undefined;
    });
    for (const entry of scores.eligible) {
      const sum = Math.round(entry.explanation.contributions.reduce((s: number, c: { points: number }) => s + c.points, 0) * 100) / 100;
      expect(sum).toBe(entry.score);
      expect(entry.explanation.contributions.some((c: { factor: string }) => c.factor.startsWith('learned:'))).toBe(true);
    }
  });
});
