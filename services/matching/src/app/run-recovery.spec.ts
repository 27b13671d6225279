import { eventually, spawnTs, type TsProcess } from '@relationship/testing';
import { FAULT_POINT_REACHED } from './runs/fault-point';
import { RebalanceQueue } from './runs/rebalance-queue';
import { bearer, customerSnapshot, managerSnapshot, MatchingHarness } from '../testing/matching-harness';

/**
 * Rebalance runs survive their worker being SIGKILLed at every crash point: real worker processes (spawned here,
 * from the sources) on the suite's database and queue, stopped at a named point and killed there.
 */
describe('rebalance runs never strand (real worker processes killed with SIGKILL)', () => {
  const h = new MatchingHarness();
  const admin = bearer('admin');
  const CUSTOMERS = 30;
  const workers: TsProcess[] = [];

  beforeAll(async () => {
    await h.start({ REBALANCE_CHUNK_SIZE: '5', STABILITY_THRESHOLD: '0' });
    for (let i = 0; i < 6; i++) await h.registerManagerQuietly(managerSnapshot({ capacity: 10 }));
    for (let i = 0; i < CUSTOMERS; i++) await h.upsertCustomer(customerSnapshot());
  }, 120_000);
  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.kill('SIGTERM');
  });
  afterAll(async () => {
    await h.stop();
  });

  /** A worker process that takes its locks seriously fast: a killed job counts as stalled after 1.5 s. */
  function worker(faultAt?: string): TsProcess {
    const env = h.workerEnv({
      WORKER_LOCK_MS: '1500',
      RUN_STUCK_AFTER_S: '1',
      RUN_RECONCILE_INTERVAL_S: '1',
      ...(faultAt ? { FAULT_PAUSE_AT: faultAt } : {}),
    });
    const started = spawnTs('services/matching/src/worker.ts', {
      project: 'services/matching/tsconfig.app.json',
      env: { PATH: process.env['PATH'], KAFKA_TOPIC_PREFIX: process.env['KAFKA_TOPIC_PREFIX'], ...env, LOG_LEVEL: 'warn' },
    });
    workers.push(started);
    return started;
  }

  async function killAt(point: string): Promise<void> {
    const w = worker(point);
    await w.waitFor(`${FAULT_POINT_REACHED} ${point}`, 90_000);
    await w.kill('SIGKILL');
  }

  async function createRun(): Promise<string> {
    const response = await h.app.inject({ method: 'POST', url: '/api/matching/runs', headers: admin, payload: { mode: 'apply' } });
    expect(response.statusCode).toBe(202);
    return response.json().id;
  }

  const status = async (id: string) => (await h.sql<{ status: string; error: string | null }>('select status, error from rebalance_run where id = ?', [id]))[0];

  /** Everyone assigned exactly once by the run: no move lost, none applied twice, loads true and within capacity. */
  async function expectAppliedOnce(runId: string): Promise<void> {
    const view = (await h.app.inject({ method: 'GET', url: `/api/matching/runs/${runId}`, headers: admin })).json();
    expect(view.moves).toMatchObject({ planned: CUSTOMERS, applied: CUSTOMERS });
    expect(await h.count('assignment', 'manager_id is null')).toBe(0);
    const perCustomer = await h.sql<{ n: number }>('select count(*) as n from assignment_history where run_id = ? group by customer_id', [runId]);
    expect(perCustomer).toHaveLength(CUSTOMERS);
    expect(perCustomer.every((r) => Number(r.n) === 1)).toBe(true);
    const changed = (await h.outbox('AssignmentChanged')).filter((e) => e.payload['runId'] === runId);
    expect(changed).toHaveLength(CUSTOMERS);
    for (const load of await h.loads()) {
      expect(Number(load.assigned)).toBe(Number(load.counted));
      expect(Number(load.assigned)).toBeLessThanOrEqual(Number(load.capacity));
    }
  }

  it('killed after the plan committed, before its chunk jobs were queued: the next worker queues them and the run completes', async () => {
    await h.unassignAll();
    const runId = await createRun();
    await killAt('plan:committed');
    expect((await status(runId)).status).toBe('applying');
    expect(await h.count('run_move', "run_id = ? and state = 'pending'", [runId])).toBe(CUSTOMERS);

    worker();
    await eventually('run completed', async () => (await status(runId)).status === 'completed', 60_000);
    await expectAppliedOnce(runId);
  }, 180_000);

  it('killed twice on the same chunk: BullMQ fails the job as stalled, the run is failed with that reason, and retry completes it', async () => {
    await h.unassignAll();
    const runId = await createRun();
    await killAt('apply:chunk-0');
    await killAt('apply:chunk-0'); // the stalled job re-run on the second worker, killed again
    expect((await status(runId)).status).toBe('applying');

    worker();
    const failed = await eventually('run failed', async () => ((await status(runId)).status === 'failed' ? status(runId) : undefined), 60_000);
    expect(failed.error).toMatch(/chunk 0 failed .*stalled more than allowable limit/);
    expect(await h.count('run_move', "run_id = ? and chunk = 0 and state = 'pending'", [runId])).toBe(5);

    const retried = await h.app.inject({ method: 'POST', url: `/api/matching/runs/${runId}/retry`, headers: admin });
    expect(retried.statusCode).toBe(202);
    await eventually('run completed', async () => (await status(runId)).status === 'completed', 60_000);
    await expectAppliedOnce(runId);
  }, 180_000);

  it('jobs lost with Redis (a finalize never run, a plan never queued): the reconciler queues them again on start', async () => {
    await h.unassignAll();
    const finalizeLost = await createRun();
    await killAt('apply:last-committed');
    // The local Redis keeps nothing on disk: a restart loses every job. Same here, for this suite's queue only.
    await h.app.get(RebalanceQueue).queue.obliterate({ force: true });
    expect((await status(finalizeLost)).status).toBe('applying');
    expect(await h.count('run_move', "run_id = ? and state = 'pending'", [finalizeLost])).toBe(0);
    // And a run the API committed but whose plan job it never queued (it died in between).
    const planLost = crypto.randomUUID();
    await h.sql(
      "insert into rebalance_run (id, mode, status, scope, options, created_at, progressed_at) values (?, 'dry_run', 'queued', '{}', ?, now(3), now(3) - interval 5 second)",
      [planLost, JSON.stringify({ stabilityThreshold: 0, includePinned: false, candidatesPerCustomer: 5 })],
    );

    worker();
    await eventually('both runs completed', async () => (await status(finalizeLost)).status === 'completed' && (await status(planLost)).status === 'completed', 60_000);
    await expectAppliedOnce(finalizeLost);
    const [recovered] = await h.sql<{ recoveries: number }>('select recoveries from rebalance_run where id = ?', [planLost]);
    expect(Number(recovered.recoveries)).toBe(1);
  }, 180_000);

  it('retry refuses a run whose jobs are live and resumes one that is stuck', async () => {
    const live = await createRun(); // no worker running: its plan job waits in the queue
    const refused = await h.app.inject({ method: 'POST', url: `/api/matching/runs/${live}/retry`, headers: admin });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('still queued or running');

    await h.app.get(RebalanceQueue).queue.obliterate({ force: true });
    const resumed = await h.app.inject({ method: 'POST', url: `/api/matching/runs/${live}/retry`, headers: admin });
    expect(resumed.statusCode).toBe(202);
    expect(await h.app.get(RebalanceQueue).liveRunIds()).toContain(live);
    worker();
    await eventually('run completed', async () => (await status(live)).status === 'completed', 60_000);
  }, 180_000);
});
