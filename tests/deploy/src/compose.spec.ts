import { generateKeyPairSync } from 'node:crypto';
import { loadRepoFacts, RepoFacts } from './context';
import { checkCompose, Compose, ComposeError, composeEnv, loadCompose, mysqlAllowsTriggers, renderCompose } from './support/compose';
import { clone, Dict, readText } from './support/repo';

describe('docker-compose.yml', () => {
  let facts: RepoFacts;
  let compose: Compose;

  beforeAll(async () => {
    facts = await loadRepoFacts();
    compose = loadCompose();
  });

  const check = (c: Compose) => checkCompose(c, { ...facts });

  it('has every service of services/, each given an environment its config schema accepts, on its own port, behind healthy dependencies', () => {
    expect(facts.serviceNames.length).toBeGreaterThan(0);
    expect(check(compose)).toEqual([]);
  });

  it('gives every service one JWKS through an anchor, and identity the private half (the demo key, refused in production)', () => {
    const jwks = facts.serviceNames.filter((name) => compose.services[name]).map((name) => composeEnv(compose.services[name])['JWT_PUBLIC_KEYS']);
    expect(new Set(jwks).size).toBe(1);
    expect(JSON.parse(jwks[0]).keys).toHaveLength(1);
    expect(Object.entries(compose.services).filter(([, s]) => composeEnv(s)['JWT_PRIVATE_KEY']).map(([name]) => name)).toEqual(['identity']);
    expect(renderCompose(undefined, { TAG: '1.2.3' }).services['gateway']['image']).toBe('relationship/gateway:1.2.3');
  });

  it('knows the mysqld options that let the app user create triggers under binary logging', () => {
    expect(facts.triggerServices).toContain('matching');
    expect(['--log-bin-trust-function-creators=1', '--log_bin_trust_function_creators=ON', '--disable-log-bin'].map((a) => mysqlAllowsTriggers([a]))).toEqual([true, true, true]);
    expect(['--log-bin-trust-function-creators=0', '--skip-name-resolve'].map((a) => mysqlAllowsTriggers([a]))).toEqual([false, false]);
  });

  // compose-go loads the file as `docker compose` does; what it refuses never reaches the checks below.
  const text = () => readText('docker-compose.yml');
  it('is loaded by compose-go: the compose-spec schema refuses what compose does not know', () => {
    expect(() => renderCompose(text().replace(/^ {2}identity:\n/m, '  identity:\n    restart_policy: always\n'))).toThrow(ComposeError);
    expect(() => renderCompose(text().replace(/^ {2}identity:\n/m, '  identity:\n    restart_policy: always\n'))).toThrow(/services\.identity\.restart_policy/);
    expect(() => renderCompose(text().replace('condition: service_completed_successfully', 'condition: service_finished'))).toThrow(/depends_on\.kafka-topics\.condition value must be one of/);
    expect(() => renderCompose(text().replace(/^ {2}kafka:\n {4}image: apache\/kafka:4\.1\.2\n/m, '  kafka:\n'))).toThrow(/kafka/);
  });

  it('catches a variable without default (a plain "docker compose up" would leave it empty)', () => {
    const broken = renderCompose(text().replace(/\$\{MYSQL_ROOT_PASSWORD:-[^}]+\}/, '${MYSQL_ROOT_PASSWORD}'));
    expect(broken.unset).toEqual(['MYSQL_ROOT_PASSWORD']);
    expect(check(broken)).toEqual([expect.stringContaining('${MYSQL_ROOT_PASSWORD} has no default')]);
  });

  // Each case breaks a copy of the real file the way drift would, and the same checker must notice.
  const svc = (c: Compose, name: string): Dict => c.services[name];
  const env = (c: Compose, name: string): Dict => svc(c, name)['environment'] as Dict;
  const cases: [string, (c: Compose) => void, string][] = [
    ['a required variable is missing', (c) => delete env(c, 'identity')['JWT_PRIVATE_KEY'], 'compose service "identity": identity would refuse to start: JWT_PRIVATE_KEY'],
    ['a variable name has a typo', (c) => { env(c, 'profiles')['KAFKA_BROKER'] = env(c, 'profiles')['KAFKA_BROKERS']; delete env(c, 'profiles')['KAFKA_BROKERS']; }, 'KAFKA_BROKER is not a variable of profiles'],
    ['a value the schema rejects', (c) => (env(c, 'identity')['DATABASE_URL'] = 'postgres://x'), 'identity would refuse to start: DATABASE_URL'],
    ['the JWKS is not a JWKS', (c) => { for (const n of facts.serviceNames.filter((name) => c.services[name])) env(c, n)['JWT_PUBLIC_KEYS'] = '{"keys": []}'; }, 'JWT_PUBLIC_KEYS: must be a JWKS document with at least one key'],
    ['a signing key the verifiers do not have', (c) => (env(c, 'identity')['JWT_PRIVATE_KEY'] = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()), 'is not in JWT_PUBLIC_KEYS, so no service would accept the tokens it signs'],
    ['a port differs from the one the code assigns', (c) => (env(c, 'identity')['PORT'] = '3009'), 'PORT=3009 but identity\'s configuration assigns it port 3001'],
    ['a service folder has no compose service', (c) => delete c.services['profiles'], 'services/profiles has no compose service "profiles"'],
    ['a compose service has no folder', (c) => (c.services['ghost'] = { ...clone(svc(c, 'profiles')), build: { context: '.', dockerfile: 'docker/service.Dockerfile', args: { SERVICE: 'ghost' } } }), 'compose service "ghost" has no folder services/ghost'],
    ['the SERVICE build arg names another service', (c) => (((svc(c, 'identity')['build'] as Dict)['args'] as Dict)['SERVICE'] = 'profiles'), 'builds SERVICE=profiles'],
    ['an image uses latest', (c) => (svc(c, 'kafka')['image'] = 'apache/kafka:latest'), 'uses the "latest" tag'],
    ['an image has no tag', (c) => (svc(c, 'redis')['image'] = 'redis'), 'has no tag'],
    ['an internal service is published', (c) => (svc(c, 'identity')['ports'] = ['3001:3001']), 'only the gateway and the portal may reach the host'],
    ['the gateway is published on the wrong port', (c) => (svc(c, 'gateway')['ports'] = ['3000:3005']), 'must publish exactly "3000:3000"'],
    ['a dependency is not awaited as healthy', (c) => (((svc(c, 'gateway')['depends_on'] as Dict)['identity'] as Dict)['condition'] = 'service_started'), 'depends_on "identity" must use condition: service_healthy'],
    ['a used service is not a dependency', (c) => delete (svc(c, 'gateway')['depends_on'] as Dict)['profiles'], 'compose service "gateway" uses "profiles" but does not depend_on it'],
    ['an upstream URL uses the wrong port', (c) => (env(c, 'gateway')['PROFILES_URL'] = 'http://profiles:3999'), 'PROFILES_URL uses profiles:3999, but profiles listens on 3002'],
    ['an upstream URL names no service', (c) => (env(c, 'gateway')['IDENTITY_URL'] = 'http://idp:3001'), 'IDENTITY_URL points at "idp", which is not a compose service'],
    ['the brokers are not the internal listener', (c) => (env(c, 'identity')['KAFKA_BROKERS'] = 'kafka:9092'), 'KAFKA_BROKERS uses kafka:9092, but kafka listens on 19092'],
    ['the driver does not match the MySQL image', (c) => (env(c, 'profiles')['DB_DRIVER'] = 'mariadb'), 'DB_DRIVER must be mysql'],
    ['the database is not created by the init script', (c) => (env(c, 'identity')['DATABASE_URL'] = 'mysql://app:app@mysql:3306/relationship_nope'), 'database "relationship_nope" is not created'],
    ['HOST is left at its default', (c) => delete env(c, 'profiles')['HOST'], 'HOST must be 0.0.0.0'],
    ['demo mode off on the demo path', (c) => (env(c, 'identity')['DEMO_MODE'] = 'false'), 'compose is the demo path'],
    ['a dependency has no healthcheck', (c) => delete svc(c, 'mysql')['healthcheck'], 'depends on "mysql", which has no healthcheck'],
    ['a service healthcheck probes nothing', (c) => ((svc(c, 'identity')['healthcheck'] as Dict)['test'] = ['CMD', 'true']), 'healthcheck must call /health/ready or /health/live'],
    ['Kafka auto-creates topics', (c) => ((svc(c, 'kafka')['environment'] as Dict)['KAFKA_AUTO_CREATE_TOPICS_ENABLE'] = 'true'), 'KAFKA_AUTO_CREATE_TOPICS_ENABLE must be false'],
    ['a Kafka replication factor above 1', (c) => ((svc(c, 'kafka')['environment'] as Dict)['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR'] = 3), 'must be 1 on a single broker'],
    ['the MySQL init scripts are not mounted', (c) => (svc(c, 'mysql')['volumes'] = ['mysql-data:/var/lib/mysql']), 'must mount ./docker/mysql-init'],
    ['the verifiers hold different keys', (c) => (env(c, 'gateway')['JWT_PUBLIC_KEYS'] = JSON.stringify({ keys: [generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' })] })), 'JWT_PUBLIC_KEYS differs between compose services'],
    // a second process of one service (matching-worker: the matching image, worker.js)
    ['an entry point nobody runs', (c) => delete c.services['matching-worker'], 'services/matching builds the entry point worker.js, but compose has no service "matching-worker"'],
    ['the worker runs the API', (c) => (svc(c, 'matching-worker')['command'] = ['node', 'main.js']), 'compose service "matching-worker": runs main.js, but matching-worker is the worker entry point (worker.js)'],
    ['the worker keeps the image CMD', (c) => delete svc(c, 'matching-worker')['command'], 'runs main.js, but matching-worker is the worker entry point'],
    ['a command file webpack does not build', (c) => (svc(c, 'matching-worker')['command'] = 'node jobs.js'), 'runs jobs.js, which services/matching/webpack.config.js does not build (it builds main.js, worker.js)'],
    ['a command that is not node <file>', (c) => (svc(c, 'matching-worker')['command'] = ['sh', '-c', 'node worker.js']), 'must be ["node", "<entry>.js"]'],
    ['the worker built from another service', (c) => (((svc(c, 'matching-worker')['build'] as Dict)['args'] as Dict)['SERVICE'] = 'managers'), 'compose service "matching-worker" builds SERVICE=managers, but it runs worker.js of services/matching'],
    ['the worker gets a variable only the API reads', (c) => (env(c, 'matching-worker')['JWT_PUBLIC_KEYS'] = env(c, 'matching')['JWT_PUBLIC_KEYS']), "JWT_PUBLIC_KEYS is not a variable of matching-worker's configuration"],
    ['the worker on the API port', (c) => (env(c, 'matching-worker')['PORT'] = '3004'), "PORT=3004 but matching-worker's configuration assigns it port 3014"],
    ['the worker listens on another queue', (c) => (env(c, 'matching-worker')['QUEUE_PREFIX'] = 'other'), 'matching-worker and matching are one service and must share QUEUE_PREFIX'],
    ['the worker uses another database', (c) => (env(c, 'matching-worker')['DATABASE_URL'] = 'mysql://app:app@mysql:3306/relationship_managers'), 'DATABASE_URL names database "relationship_managers", expected relationship_matching'],
    ['the worker does not wait for Redis', (c) => delete (svc(c, 'matching-worker')['depends_on'] as Dict)['redis'], 'compose service "matching-worker" uses "redis" but does not depend_on it'],
    // the one-shot topic provisioner (kafka-topics, tools/kafka-provision) every Kafka user waits for
    ['no topic provisioner', (c) => delete c.services['kafka-topics'], 'compose has no "kafka-topics" service'],
    ['a Kafka user does not wait for the topics', (c) => delete (svc(c, 'profiles')['depends_on'] as Dict)['kafka-topics'], 'compose service "profiles" uses Kafka but does not depend_on "kafka-topics"'],
    ['the worker does not wait for the topics', (c) => delete (svc(c, 'matching-worker')['depends_on'] as Dict)['kafka-topics'], 'compose service "matching-worker" uses Kafka but does not depend_on "kafka-topics"'],
    ['the topics awaited as healthy', (c) => (((svc(c, 'identity')['depends_on'] as Dict)['kafka-topics'] as Dict)['condition'] = 'service_healthy'), 'depends_on "kafka-topics" must use condition: service_completed_successfully'],
    ['the topics awaited only as started', (c) => (((svc(c, 'managers')['depends_on'] as Dict)['kafka-topics'] as Dict)['condition'] = 'service_started'), 'compose service "managers": depends_on "kafka-topics" must use condition: service_completed_successfully'],
    ['the provisioner restarts after it is done', (c) => (svc(c, 'kafka-topics')['restart'] = 'unless-stopped'), 'compose service "kafka-topics" runs once: restart must be "no"'],
    ['the provisioner keeps the image healthcheck', (c) => delete svc(c, 'kafka-topics')['healthcheck'], 'its healthcheck must be disabled'],
    ['the provisioner built from services/', (c) => delete ((svc(c, 'kafka-topics')['build'] as Dict)['args'] as Dict)['APP_ROOT'], 'compose service "kafka-topics" must build tools/kafka-provision'],
    ['the provisioner built from a missing tool', (c) => (((svc(c, 'kafka-topics')['build'] as Dict)['args'] as Dict)['SERVICE'] = 'topic-maker'), 'tools/topic-maker/project.json does not exist'],
    ['the provisioner without brokers', (c) => delete env(c, 'kafka-topics')['KAFKA_BROKERS'], 'kafka-provision would refuse to start: KAFKA_BROKERS: required'],
    ['the provisioner on the host listener', (c) => (env(c, 'kafka-topics')['KAFKA_BROKERS'] = 'kafka:9092'), 'compose service "kafka-topics": KAFKA_BROKERS uses kafka:9092, but kafka listens on 19092'],
    ['the provisioner with a flag it does not know', (c) => (svc(c, 'kafka-topics')['command'] = ['node', 'main.js', '--partitions', '3']), "kafka-provision would refuse to start: Unknown option '--partitions'"],
    ['the provisioner on the tests\' namespace only', (c) => (svc(c, 'kafka-topics')['command'] = ['node', 'main.js', '--namespace', 'test.']), 'provisions the namespaces ["test."], but identity uses topic namespace ""'],
    ['the provisioner not waiting for the broker', (c) => delete (svc(c, 'kafka-topics')['depends_on'] as Dict)['kafka'], 'compose service "kafka-topics" uses "kafka" but does not depend_on it'],
    ['triggers without log_bin_trust_function_creators', (c) => (svc(c, 'mysql')['command'] = (svc(c, 'mysql')['command'] as string[]).filter((a) => !a.includes('trust'))), 'services/matching create triggers'],
  ];

  it.each(cases)('catches drift: %s', (_title, breakIt, expected) => {
    const broken = clone(compose);
    breakIt(broken);
    expect(check(broken)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });
});
