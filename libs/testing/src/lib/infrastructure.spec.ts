import { chooseInfrastructure, localEndpoints, type MachineFacts } from './infrastructure';

describe('the choice of test infrastructure', () => {
  const facts = (over: Partial<MachineFacts>): MachineFacts & { asked: () => number } => {
    let asked = 0;
    const answers = over.dockerAnswers;
    return {
      request: undefined,
      dockerEndpoint: false,
      ...over,
      dockerAnswers: async () => {
        asked += 1;
        return answers ? answers() : true;
      },
      asked: () => asked,
    };
  };

  it('starts containers where a Docker engine answers', async () => {
    await expect(chooseInfrastructure(facts({ dockerEndpoint: true }))).resolves.toEqual({ source: 'testcontainers', reason: 'a Docker engine answers' });
  });

  it('uses infra/local without asking Docker when no endpoint exists (this machine)', async () => {
    const f = facts({ dockerEndpoint: false });
    await expect(chooseInfrastructure(f)).resolves.toEqual({ source: 'infra/local', reason: 'no Docker engine on this machine' });
    expect(f.asked()).toBe(0);
  });

  it('uses infra/local when the endpoint exists but the engine does not answer', async () => {
    const choice = await chooseInfrastructure(facts({ dockerEndpoint: true, dockerAnswers: async () => false }));
    expect(choice).toEqual({ source: 'infra/local', reason: 'the Docker endpoint does not answer' });
  });

  it('TEST_INFRA=local wins over an answering engine; TEST_INFRA=testcontainers fails loudly without one', async () => {
    const local = facts({ request: 'local', dockerEndpoint: true });
    await expect(chooseInfrastructure(local)).resolves.toEqual({ source: 'infra/local', reason: 'TEST_INFRA=local' });
    expect(local.asked()).toBe(0);
    await expect(chooseInfrastructure(facts({ request: 'testcontainers', dockerEndpoint: true }))).resolves.toMatchObject({ source: 'testcontainers' });
    await expect(chooseInfrastructure(facts({ request: 'testcontainers', dockerEndpoint: false }))).rejects.toThrow(/no Docker engine answers/);
  });

  it('names a TEST_INFRA value it does not know', async () => {
    await expect(chooseInfrastructure(facts({ request: 'kubernetes' }))).rejects.toThrow('TEST_INFRA must be auto, local or testcontainers (got "kubernetes")');
  });

  it("falls back to infra/local's defaults, and keeps endpoints the environment names", () => {
    expect(localEndpoints({})).toEqual({ DB_HOST: '127.0.0.1', DB_PORT: '3306', DB_USER: 'app', DB_PASSWORD: 'app', REDIS_URL: 'redis://127.0.0.1:6379', KAFKA_BROKERS: '127.0.0.1:9092' });
    expect(localEndpoints({ MARIADB_PORT: '3307', KAFKA_BROKERS: 'k:19092' })).toMatchObject({ DB_PORT: '3307', KAFKA_BROKERS: 'k:19092' });
  });
});
