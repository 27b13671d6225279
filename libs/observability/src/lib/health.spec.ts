import { runChecks } from './health';

describe('runChecks', () => {
  it('reports each dependency and fails when any is down or too slow', async () => {
    const report = await runChecks([
      { name: 'database', check: async () => undefined },
      { name: 'kafka', check: async () => Promise.reject(new Error('no brokers')) },
      { name: 'redis', check: () => new Promise<void>(() => undefined) },
    ]);
    expect(report.status).toBe('error');
    expect(report.checks).toEqual({
      database: { status: 'up' },
      kafka: { status: 'down', error: 'no brokers' },
      redis: { status: 'down', error: 'redis did not answer within 2000 ms' },
    });
  });

  it('is ok when everything answers', async () => {
    await expect(runChecks([{ name: 'database', check: async () => undefined }])).resolves.toEqual({
      status: 'ok',
      checks: { database: { status: 'up' } },
    });
  });
});
