import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRepoFacts, RepoFacts } from './context';
import { checkK8s, K8sContext } from './support/k8s';
import { containersOf, generatedConfigMap, KustomizeError, kustomizeBuild, Resource, schemaProblems } from './support/kustomize';
import { asArray, asDict, clone, Dict } from './support/repo';

const OVERLAYS = ['base', 'overlays/dev', 'overlays/prod'] as const;
const profileOf = (dir: (typeof OVERLAYS)[number]) => (dir === 'base' ? 'base' : dir === 'overlays/dev' ? 'dev' : 'prod');

describe('k8s/ (kustomize)', () => {
  let facts: RepoFacts;
  let templateSecretValues: Record<string, string>;
  let templateValues: Record<string, string>;
  const rendered = new Map<string, Resource[]>();

  beforeAll(async () => {
    facts = await loadRepoFacts();
    for (const dir of OVERLAYS) rendered.set(dir, kustomizeBuild(`k8s/${dir}`));
    const template = rendered.get('base')?.find((r) => r.kind === 'Secret' && r.metadata.name === 'relationship-secrets');
    templateValues = Object.fromEntries(Object.entries(asDict(template?.['stringData'])).map(([k, v]) => [k, String(v)]));
    // What the vault holds for prod's ExternalSecret: the template's shapes, with a key pair of its own (the
    // template's is the committed test pair, which production refuses).
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    templateSecretValues = {
      ...templateValues,
      JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      JWT_PUBLIC_KEYS: JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), alg: 'ES256', use: 'sig' }] }),
    };
  });

  const ctx = (profile: K8sContext['profile']): K8sContext => ({ ...facts, profile, templateSecretValues });

  it.each(OVERLAYS)('k8s/%s renders to objects the Kubernetes API schemas accept', (dir) => {
    expect(rendered.get(dir)?.length).toBeGreaterThan(20);
    expect(schemaProblems(rendered.get(dir) ?? [])).toEqual([]);
  });

  // base runs in production mode, so as an operator applies it: the template Secret's key pair replaced by their own.
  const applied = (dir: (typeof OVERLAYS)[number]): Resource[] =>
    (rendered.get(dir) ?? []).map((r) =>
      dir === 'base' && r.kind === 'Secret' ? { ...r, stringData: { ...asDict(r['stringData']), JWT_PRIVATE_KEY: templateSecretValues['JWT_PRIVATE_KEY'], JWT_PUBLIC_KEYS: templateSecretValues['JWT_PUBLIC_KEYS'] } } : r,
    );

  it.each(OVERLAYS)('k8s/%s deploys every service with matching ports, probes, env, security and availability settings', (dir) => {
    expect(checkK8s(applied(dir), ctx(profileOf(dir)))).toEqual([]);
  });

  it('prod runs without demo data, on release images, with secrets from the external store', () => {
    const prod = rendered.get('overlays/prod') ?? [];
    const common = generatedConfigMap(prod, 'relationship-common');
    expect(asDict(common?.['data'])).toMatchObject({ NODE_ENV: 'production', DEMO_MODE: 'false' });
    expect(prod.filter((r) => r.kind === 'Secret')).toEqual([]);
    expect(prod.some((r) => r.kind === 'ExternalSecret' && r.metadata.name === 'relationship-secrets')).toBe(true);
    for (const d of prod.filter((r) => r.kind === 'Deployment' || r.kind === 'Job')) {
      // A release: a semantic version or a digest, never a moving tag.
      for (const c of containersOf(d)) expect(String(c['image'])).toMatch(/:\d+\.\d+\.\d+([-+][\w.]+)?$|@sha256:[0-9a-f]{64}$/);
    }
  });

  it("refuses the template's committed key pair in production", () => {
    expect(checkK8s(rendered.get('overlays/prod') ?? [], { ...ctx('prod'), templateSecretValues: templateValues })).toEqual(
      expect.arrayContaining([expect.stringContaining('prod: Deployment identity: identity would refuse to start: JWT_PUBLIC_KEYS: holds a key committed to the repository')]),
    );
  });

  it('dev turns demo mode on without touching the base defaults', () => {
    const data = (dir: string) => asDict(generatedConfigMap(rendered.get(dir) ?? [], 'relationship-common')?.['data']);
    expect(data('overlays/dev')).toMatchObject({ NODE_ENV: 'development', DEMO_MODE: 'true' });
    expect(data('base')).toMatchObject({ NODE_ENV: 'production', DEMO_MODE: 'false' });
  });

  // The same checker on deliberately broken copies of the rendered production manifests.
  const find = (rs: Resource[], kind: string, name: string) => rs.find((r) => r.kind === kind && r.metadata.name === name) as Resource;
  const container = (rs: Resource[], name: string) => containersOf(find(rs, 'Deployment', name)).find((c) => c['name'] === name) as Dict;
  const envList = (rs: Resource[], name: string) => container(rs, name)['env'] as Dict[];
  const setEnv = (rs: Resource[], name: string, variable: string, value: string) => {
    const entry = envList(rs, name).find((e) => e['name'] === variable);
    if (entry) {
      delete entry['valueFrom'];
      entry['value'] = value;
    } else envList(rs, name).push({ name: variable, value });
  };
  const podSpec = (rs: Resource[], name: string) => asDict(asDict(asDict(find(rs, 'Deployment', name)['spec'])['template'])['spec']);
  const job = (rs: Resource[]) => find(rs, 'Job', 'kafka-topics');
  const jobPod = (rs: Resource[]) => asDict(asDict(asDict(job(rs)['spec'])['template'])['spec']);
  const jobContainer = (rs: Resource[]) => asArray(jobPod(rs)['containers']).map(asDict)[0];
  const cases: [string, (rs: Resource[]) => void, string][] = [
    ['demo mode in production', (rs) => (asDict(generatedConfigMap(rs, 'relationship-common')?.['data'])['DEMO_MODE'] = 'true'), 'DEMO_MODE=true in production'],
    ['NODE_ENV development in production', (rs) => (asDict(generatedConfigMap(rs, 'relationship-common')?.['data'])['NODE_ENV'] = 'development'), 'NODE_ENV must be production'],
    ['a latest image', (rs) => (container(rs, 'identity')['image'] = 'registry.bank.example/relationship/identity:latest'), 'uses the "latest" tag'],
    ['an untagged image', (rs) => (container(rs, 'gateway')['image'] = 'relationship/gateway'), 'has no tag'],
    ['a required variable is missing', (rs) => (container(rs, 'profiles')['env'] = envList(rs, 'profiles').filter((e) => e['name'] !== 'DATABASE_URL')), 'profiles would refuse to start: DATABASE_URL'],
    ['a secret key that the store does not provide', (rs) => (asDict(asDict(envList(rs, 'identity').find((e) => e['name'] === 'JWT_PUBLIC_KEYS')?.['valueFrom'])['secretKeyRef'])['key'] = 'JWT_KEY'), 'refers to key JWT_KEY of Secret relationship-secrets'],
    ['a variable name with a typo', (rs) => setEnv(rs, 'identity', 'LOGIN_MAX_FAILURE', '5'), 'LOGIN_MAX_FAILURE is not a variable of identity'],
    ['PORT differs from the container port', (rs) => setEnv(rs, 'profiles', 'PORT', '3999'), 'PORT env (3999) differs from containerPort 3002'],
    ['a port the code does not assign', (rs) => { setEnv(rs, 'identity', 'PORT', '3011'); asArray(container(rs, 'identity')['ports']).map(asDict)[0]['containerPort'] = 3011; }, "identity's configuration assigns it port 3001"],
    ['a readiness probe on the wrong path', (rs) => (asDict(asDict(container(rs, 'gateway')['readinessProbe'])['httpGet'])['path'] = '/healthz'), 'readinessProbe must GET /health/ready'],
    ['a liveness probe on another port', (rs) => (asDict(asDict(container(rs, 'identity')['livenessProbe'])['httpGet'])['port'] = 9999), 'livenessProbe port 9999 is not the http port 3001'],
    ['a Service port that differs', (rs) => (asArray(asDict(find(rs, 'Service', 'identity')['spec'])['ports']).map(asDict)[0]['port'] = 80), 'Service identity port 80 differs from the container port 3001'],
    ['a Service that selects nothing', (rs) => (asDict(find(rs, 'Service', 'profiles')['spec'])['selector'] = { 'app.kubernetes.io/name': 'nope' }), 'Service profiles selects no pod'],
    ['an upstream URL with the wrong port', (rs) => setEnv(rs, 'gateway', 'IDENTITY_URL', 'http://identity:3999'), 'IDENTITY_URL uses port 3999, Service identity listens on 3001'],
    ['a service folder without Deployment', (rs) => rs.splice(rs.indexOf(find(rs, 'Deployment', 'profiles')), 1), 'profiles has no Deployment'],
    ['a Deployment without folder', (rs) => rs.push({ ...clone(find(rs, 'Deployment', 'portal')), metadata: { name: 'ghost', namespace: 'relationship' } }), 'Deployment ghost has no folder services/ghost'],
    ['replicas on the HPA-scaled gateway', (rs) => (asDict(find(rs, 'Deployment', 'gateway')['spec'])['replicas'] = 3), 'scaled by an HPA, so it must not set spec.replicas'],
    ['no PodDisruptionBudget', (rs) => rs.splice(rs.indexOf(find(rs, 'PodDisruptionBudget', 'identity')), 1), 'identity has no PodDisruptionBudget'],
    ['a writable root filesystem', (rs) => (asDict(container(rs, 'profiles')['securityContext'])['readOnlyRootFilesystem'] = false), 'readOnlyRootFilesystem must be true'],
    ['privilege escalation allowed', (rs) => delete asDict(container(rs, 'gateway')['securityContext'])['allowPrivilegeEscalation'], 'allowPrivilegeEscalation must be false'],
    ['no resource limits', (rs) => delete asDict(container(rs, 'identity')['resources'])['limits'], 'resources.limits.memory is not set'],
    ['no topology spread', (rs) => delete podSpec(rs, 'profiles')['topologySpreadConstraints'], 'no topologySpreadConstraints'],
    ['no grace period', (rs) => delete podSpec(rs, 'identity')['terminationGracePeriodSeconds'], 'terminationGracePeriodSeconds is not set'],
    ['a scrape port that is not the http port', (rs) => (asDict(asDict(asDict(find(rs, 'Deployment', 'identity')['spec'])['template'])['metadata'])['annotations'] = { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090', 'prometheus.io/path': '/metrics' }), 'prometheus.io/port 9090 is not the http port 3001'],
    ['the placeholder Secret in production', (rs) => rs.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'relationship-secrets', namespace: 'relationship' }, stringData: { REDIS_URL: 'rediss://:REPLACE-ME@redis:6379' } }), 'holds placeholder values'],
    ['the Ingress sends /api elsewhere', (rs) => (asDict(asDict(asArray(asDict(asArray(asDict(find(rs, 'Ingress', 'relationship')['spec'])['rules']).map(asDict)[0]['http'])['paths']).map(asDict)[0]['backend'])['service'])['name'] = 'portal'), 'must route /api to the gateway'],
    ['the portal binds to loopback', (rs) => setEnv(rs, 'portal', 'PORTAL_HOST', '127.0.0.1'), 'PORTAL_HOST must be 0.0.0.0'],
    ['the portal gets a variable serve.mjs does not read', (rs) => setEnv(rs, 'portal', 'API_URL', 'http://gateway:3000'), 'API_URL is not read by frontend/portal/serve.mjs'],
    // a second process of one service (matching-worker: the matching image, worker.js)
    ['an entry point without Deployment', (rs) => rs.splice(rs.indexOf(find(rs, 'Deployment', 'matching-worker')), 1), 'prod: matching-worker has no Deployment'],
    ['the worker without PodDisruptionBudget', (rs) => rs.splice(rs.indexOf(find(rs, 'PodDisruptionBudget', 'matching-worker')), 1), 'matching-worker has no PodDisruptionBudget'],
    ['the worker runs the API', (rs) => (container(rs, 'matching-worker')['command'] = ['node', 'main.js']), 'Deployment matching-worker: runs main.js, but matching-worker is the worker entry point (worker.js)'],
    ['the worker keeps the image CMD', (rs) => delete container(rs, 'matching-worker')['command'], 'runs main.js, but matching-worker is the worker entry point'],
    ['a command file webpack does not build', (rs) => { container(rs, 'matching-worker')['command'] = ['node']; container(rs, 'matching-worker')['args'] = ['dist/worker.js']; }, 'runs dist/worker.js, which services/matching/webpack.config.js does not build'],
    ['the API told to run the worker', (rs) => (container(rs, 'matching')['command'] = ['node', 'worker.js']), 'Deployment matching: runs worker.js, but matching is the main entry point (main.js)'],
    ['the worker on another service\'s image', (rs) => (container(rs, 'matching-worker')['image'] = 'registry.bank.example/relationship/managers:0.1.0'), 'is not the matching image'],
    ['the worker gets the JWT settings', (rs) => (container(rs, 'matching-worker')['envFrom'] = [...asArray(container(rs, 'matching-worker')['envFrom']), { configMapRef: { name: generatedConfigMap(rs, 'relationship-common')?.metadata.name } }]), "JWT_ISSUER is not a variable of matching-worker's configuration"],
    ['the worker on the API port', (rs) => { setEnv(rs, 'matching-worker', 'PORT', '3004'); asArray(container(rs, 'matching-worker')['ports']).map(asDict)[0]['containerPort'] = 3004; }, "matching-worker's configuration assigns it port 3014"],
    ['the worker listens on another queue', (rs) => setEnv(rs, 'matching-worker', 'QUEUE_PREFIX', 'other'), 'matching-worker and matching are one service and must share QUEUE_PREFIX'],
    ['the worker reads another schema', (rs) => (asDict(asDict(envList(rs, 'matching-worker').find((e) => e['name'] === 'DATABASE_URL')?.['valueFrom'])['secretKeyRef'])['key'] = 'MANAGERS_DATABASE_URL'), 'must share DATABASE_URL'],
    ['replicas on the HPA-scaled worker', (rs) => (asDict(find(rs, 'Deployment', 'matching-worker')['spec'])['replicas'] = 2), 'Deployment matching-worker: scaled by an HPA'],
    ['a NetworkPolicy without DNS', (rs) => (asDict(find(rs, 'NetworkPolicy', 'matching-worker')['spec'])['egress'] = asArray(asDict(find(rs, 'NetworkPolicy', 'matching-worker')['spec'])['egress']).slice(1)), 'does not allow DNS (port 53)'],
    ['a NetworkPolicy without Redis', (rs) => asDict(asArray(asDict(find(rs, 'NetworkPolicy', 'matching-worker')['spec'])['egress']).map(asDict)[1])['ports'] = [{ protocol: 'TCP', port: 3306 }, { protocol: 'TCP', port: 9092 }], 'does not allow port 6379 (REDIS_URL)'],
    ['a NetworkPolicy that shuts out the scraper', (rs) => (asDict(find(rs, 'NetworkPolicy', 'matching-worker')['spec'])['ingress'] = [{ ports: [{ protocol: 'TCP', port: 8080 }] }]), 'does not allow the http port 3014'],
    ['a NetworkPolicy that selects nothing', (rs) => (asDict(find(rs, 'NetworkPolicy', 'matching-worker')['spec'])['podSelector'] = { matchLabels: { 'app.kubernetes.io/name': 'nope' } }), 'NetworkPolicy matching-worker selects no pod'],
    // the kafka-topics Job (tools/kafka-provision) creates the topics the services wait for
    ['no topic Job', (rs) => rs.splice(rs.indexOf(job(rs)), 1), 'prod: no Job kafka-topics'],
    ['a Job without a retry bound', (rs) => delete asDict(job(rs)['spec'])['backoffLimit'], 'Job kafka-topics: spec.backoffLimit is not set'],
    ['a Job without a deadline', (rs) => delete asDict(job(rs)['spec'])['activeDeadlineSeconds'], 'spec.activeDeadlineSeconds is not set'],
    ['a Job that is never cleaned up', (rs) => delete asDict(job(rs)['spec'])['ttlSecondsAfterFinished'], 'spec.ttlSecondsAfterFinished is not set'],
    ['a Job pod restarted forever', (rs) => (jobPod(rs)['restartPolicy'] = 'Always'), 'restartPolicy must be Never or OnFailure'],
    ['a Job on other brokers', (rs) => (jobContainer(rs)['env'] = [{ name: 'KAFKA_BROKERS', value: 'kafka.other.internal:9092' }]), "KAFKA_BROKERS kafka.other.internal:9092 differs from identity's"],
    ['a Job without brokers', (rs) => (jobContainer(rs)['env'] = []), 'kafka-provision would refuse to start: KAFKA_BROKERS: required'],
    ['a Job reading a key the ConfigMap lacks', (rs) => (asDict(asDict(asArray(jobContainer(rs)['env']).map(asDict)[0]['valueFrom'])['configMapKeyRef'])['key'] = 'BROKERS'), 'refers to key BROKERS of ConfigMap relationship-data'],
    ['a Job with a flag the tool refuses', (rs) => (jobContainer(rs)['command'] = ['node', 'main.js', '--wait-s', 'forever']), 'kafka-provision would refuse to start: --wait-s'],
    ['a Job provisioning only the tests\' namespace', (rs) => (jobContainer(rs)['command'] = ['node', 'main.js', '--namespace', 'test.']), 'but matching uses topic namespace ""'],
    ['a Job on another image', (rs) => (jobContainer(rs)['image'] = 'registry.bank.example/relationship/matching:0.1.0'), 'is not the kafka-provision image'],
    ['a Job on a moving tag', (rs) => (jobContainer(rs)['image'] = 'registry.bank.example/relationship/kafka-provision:latest'), 'Job kafka-topics: image "registry.bank.example/relationship/kafka-provision:latest" uses the "latest" tag'],
    ['a Job running as root', (rs) => { delete asDict(jobContainer(rs)['securityContext'])['runAsNonRoot']; asDict(jobPod(rs)['securityContext'])['runAsNonRoot'] = false; }, 'Job kafka-topics: runAsNonRoot must be true'],
    ['a Job with a writable root filesystem', (rs) => (asDict(jobContainer(rs)['securityContext'])['readOnlyRootFilesystem'] = false), 'Job kafka-topics: readOnlyRootFilesystem must be true'],
    ['a Job without seccomp', (rs) => delete asDict(jobPod(rs)['securityContext'])['seccompProfile'], 'Job kafka-topics: seccompProfile must be RuntimeDefault'],
    ['a Job without limits', (rs) => delete asDict(jobContainer(rs)['resources'])['limits'], 'Job kafka-topics: resources.limits.memory is not set'],
    ['a resource outside the namespace', (rs) => (find(rs, 'Service', 'gateway').metadata.namespace = 'default'), 'Service/gateway is not in namespace relationship'],
  ];

  it.each(cases)('catches drift: %s', (_title, breakIt, expected) => {
    const broken = clone(rendered.get('overlays/prod') ?? []);
    breakIt(broken);
    expect(checkK8s(broken, ctx('prod'))).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  describe('kustomize and the schemas', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'deploy-kustomize-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('names a missing resource file', () => {
      writeFileSync(join(dir, 'kustomization.yaml'), 'resources: [gone.yaml]\n');
      expect(() => kustomizeBuild(dir)).toThrow(KustomizeError);
      expect(() => kustomizeBuild(dir)).toThrow(/gone\.yaml/);
    });

    it('hashes generated ConfigMaps and rewrites the references to them', () => {
      const prod = rendered.get('overlays/prod') ?? [];
      const name = generatedConfigMap(prod, 'relationship-data')?.metadata.name;
      expect(name).toMatch(/^relationship-data-[a-z0-9]{10}$/);
      const job = prod.find((r) => r.kind === 'Job') as Resource;
      expect(JSON.stringify(containersOf(job))).toContain(`"name":"${name}"`);
    });

    const schemaCases: [string, (rs: Resource[]) => void, string][] = [
      ['a port given as a name where a number belongs', (rs) => (asArray(container(rs, 'identity')['ports']).map(asDict)[0]['containerPort'] = 'http'), 'Deployment/identity: spec/template/spec/containers/0/ports/0/containerPort must be integer'],
      ['an image pull policy that does not exist', (rs) => (container(rs, 'gateway')['imagePullPolicy'] = 'Sometimes'), 'Deployment/gateway: spec/template/spec/containers/0/imagePullPolicy must be equal to one of the allowed values'],
      ['a Job without its pod template', (rs) => delete asDict(job(rs)['spec'])['template'], 'Job/kafka-topics: spec must have required property template'],
      ['an ExternalSecret creation policy that does not exist', (rs) => (asDict(asDict(find(rs, 'ExternalSecret', 'relationship-secrets')['spec'])['target'])['creationPolicy'] = 'Sometimes'), 'ExternalSecret/relationship-secrets: spec/target/creationPolicy must be equal to one of the allowed values'],
      ['a kind without a schema', (rs) => rs.push({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }), 'Widget/w: no schema for example.com/v1 Widget'],
    ];
    it.each(schemaCases)('refuses %s', (_title, breakIt, expected) => {
      const broken = clone(rendered.get('overlays/prod') ?? []);
      breakIt(broken);
      expect(schemaProblems(broken)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
    });
  });
});
