import { hostPort, imageTagProblem, asArray, asDict, Dict, isDict } from './repo';
import { containersOf, Resource, resourceId } from './kustomize';
import { PORTAL_PORT, portalEnvProblems } from './portal';
import { commandProblems, envProblems, MAIN_ENTRY, ServiceConfig, sharedEnvProblems } from './service-config';
import { ParseProvisionRequest, PROVISIONER, provisionerProblems, TOPICS_INIT, usesKafka } from './kafka-topics';

const PLACEHOLDER = /REPLACE-ME/;

export interface K8sContext {
  /** Every process of every service, by deployment name (matching, matching-worker, ...). */
  services: Map<string, ServiceConfig>;
  serviceNames: string[];
  portal: boolean;
  /** Which rendering this is: production adds the production-only rules. */
  profile: 'base' | 'dev' | 'prod';
  /**
   * Values of secret keys for rendering an environment when the Secret itself is not in the manifests (prod:
   * an ExternalSecret writes it): the base template's placeholders, which have the right shapes.
   */
  templateSecretValues: Record<string, string>;
  /** frontend/portal/serve.mjs, which the portal container runs. */
  serveMjs: string;
  /** tools/kafka-provision's own parser of its command line and environment. */
  parseProvisionRequest: ParseProvisionRequest;
}

const find = (resources: Resource[], kind: string, name: string) => resources.find((r) => r.kind === kind && r.metadata.name === name);

const podTemplate = (deployment: Resource): Dict => asDict(asDict(deployment['spec'])['template']);

const podLabels = (deployment: Resource): Dict => asDict(asDict(podTemplate(deployment)['metadata'])['labels']);

/** matchLabels selects the pod labels: every selector label is on the pods. */
const selects = (selector: unknown, labels: Dict): boolean => {
  const match = asDict(asDict(selector)['matchLabels'] ?? selector);
  return Object.keys(match).length > 0 && Object.entries(match).every(([k, v]) => labels[k] === v);
};

/** A NetworkPolicy's podSelector selects the pod labels (an empty selector selects every pod of the namespace). */
const policySelects = (policy: Resource, labels: Dict): boolean => {
  const selector = asDict(asDict(policy['spec'])['podSelector']);
  return Object.keys(asDict(selector['matchLabels'])).length === 0 && !selector['matchExpressions'] ? true : selects(selector, labels);
};

/** Data of a ConfigMap or Secret (data is base64 for Secrets; stringData plain). */
function dataOf(resource: Resource): Record<string, string> {
  const data = Object.fromEntries(
    Object.entries(asDict(resource['data'])).map(([k, v]) => [k, resource.kind === 'Secret' ? Buffer.from(String(v), 'base64').toString('utf8') : String(v)]),
  );
  return { ...data, ...(Object.fromEntries(Object.entries(asDict(resource['stringData'])).map(([k, v]) => [k, String(v)])) as Record<string, string>) };
}

/** Keys of a Secret that is in the manifests, or that an ExternalSecret writes. */
function secretSource(resources: Resource[], name: string, ctx: K8sContext): Record<string, string> | undefined {
  const secret = find(resources, 'Secret', name);
  if (secret) return dataOf(secret);
  const external = resources.find((r) => r.kind === 'ExternalSecret' && (asDict(asDict(r['spec'])['target'])['name'] ?? r.metadata.name) === name);
  if (!external) return undefined;
  const keys = asArray(asDict(external['spec'])['data']).map((d) => String(asDict(d)['secretKey']));
  return Object.fromEntries(keys.map((key) => [key, ctx.templateSecretValues[key] ?? '']));
}

/** The environment one container gets, resolved from its ConfigMaps and Secrets; unresolvable references are problems. */
export function containerEnv(resources: Resource[], container: Dict, where: string, ctx: K8sContext, problems: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of asArray(container['envFrom']).map(asDict)) {
    const prefix = String(source['prefix'] ?? '');
    if (source['configMapRef']) {
      const name = String(asDict(source['configMapRef'])['name']);
      const configMap = find(resources, 'ConfigMap', name);
      if (!configMap) problems.push(`${where}: envFrom ConfigMap ${name} does not exist`);
      else for (const [k, v] of Object.entries(dataOf(configMap))) env[prefix + k] = v;
    }
    if (source['secretRef']) {
      const name = String(asDict(source['secretRef'])['name']);
      const data = secretSource(resources, name, ctx);
      if (!data) problems.push(`${where}: envFrom Secret ${name} does not exist`);
      else for (const [k, v] of Object.entries(data)) env[prefix + k] = v;
    }
  }
  for (const entry of asArray(container['env']).map(asDict)) {
    const name = String(entry['name']);
    if ('value' in entry) {
      env[name] = String(entry['value']);
      continue;
    }
    const from = asDict(entry['valueFrom']);
    const ref = asDict(from['configMapKeyRef'] ?? from['secretKeyRef']);
    const isSecret = Boolean(from['secretKeyRef']);
    const data = isSecret ? secretSource(resources, String(ref['name']), ctx) : (() => {
      const cm = find(resources, 'ConfigMap', String(ref['name']));
      return cm ? dataOf(cm) : undefined;
    })();
    const key = String(ref['key']);
    if (!data) problems.push(`${where}: ${name} refers to ${isSecret ? 'Secret' : 'ConfigMap'} ${ref['name']}, which does not exist`);
    else if (!(key in data)) problems.push(`${where}: ${name} refers to key ${key} of ${isSecret ? 'Secret' : 'ConfigMap'} ${ref['name']}, which has no such key`);
    else env[name] = data[key];
  }
  return env;
}

/** The container port a probe or Service targetPort designates (a name or a number). */
function resolvePort(container: Dict, port: unknown): number | undefined {
  const ports = asArray(container['ports']).map(asDict);
  if (typeof port === 'number') return ports.some((p) => p['containerPort'] === port) ? port : undefined;
  const named = ports.find((p) => p['name'] === port);
  return named ? Number(named['containerPort']) : undefined;
}

/** A container and its pod meet the namespace's Pod Security `restricted` level, with resources set. */
function containerSecurityProblems(where: string, pod: Dict, container: Dict): string[] {
  const problems: string[] = [];
  const res = asDict(container['resources']);
  for (const kind of ['requests', 'limits']) for (const what of ['cpu', 'memory']) if (!asDict(res[kind])[what]) problems.push(`${where}: resources.${kind}.${what} is not set`);
  const sc = asDict(container['securityContext']);
  const podSc = asDict(pod['securityContext']);
  if (sc['runAsNonRoot'] !== true && podSc['runAsNonRoot'] !== true) problems.push(`${where}: runAsNonRoot must be true`);
  if (sc['readOnlyRootFilesystem'] !== true) problems.push(`${where}: readOnlyRootFilesystem must be true`);
  if (sc['allowPrivilegeEscalation'] !== false) problems.push(`${where}: allowPrivilegeEscalation must be false`);
  if (!asArray(asDict(sc['capabilities'])['drop']).includes('ALL')) problems.push(`${where}: capabilities must drop ALL`);
  if ((sc['runAsUser'] ?? podSc['runAsUser']) === 0) problems.push(`${where}: runs as uid 0`);
  if (asDict(sc['seccompProfile'] ?? podSc['seccompProfile'])['type'] !== 'RuntimeDefault') problems.push(`${where}: seccompProfile must be RuntimeDefault`);
  return problems;
}

/** Every way the rendered Kubernetes manifests can drift from the code. Empty = fine. */
export function checkK8s(resources: Resource[], ctx: K8sContext): string[] {
  const problems: string[] = [];
  const deployments = resources.filter((r) => r.kind === 'Deployment');
  const processes = [...ctx.services.values()];
  const mainNames = [...ctx.serviceNames, ...(ctx.portal ? ['portal'] : [])];
  // Further entry points (e.g. matching-worker) serve no API: a Service for them is optional.
  const workerNames = processes.filter((p) => p.entry !== MAIN_ENTRY).map((p) => p.name);

  // -- one Deployment + Service per folder of services/ (and the portal), one Deployment per further entry point,
  //    and the other way round
  for (const name of [...mainNames, ...workerNames]) {
    if (!find(resources, 'Deployment', name)) problems.push(`${ctx.profile}: ${name} has no Deployment`);
    if (mainNames.includes(name) && !find(resources, 'Service', name)) problems.push(`${ctx.profile}: ${name} has no Service`);
    if (!find(resources, 'PodDisruptionBudget', name)) problems.push(`${ctx.profile}: ${name} has no PodDisruptionBudget`);
  }
  for (const deployment of deployments) {
    const name = deployment.metadata.name;
    if (name !== 'portal' && !ctx.services.has(name)) problems.push(`${ctx.profile}: Deployment ${name} has no folder services/${name} (nor is it an entry point of one)`);
  }
  if (!resources.some((r) => r.kind === 'Namespace' && r.metadata.name === 'relationship')) problems.push(`${ctx.profile}: no Namespace relationship`);
  for (const r of resources) {
    if (r.kind !== 'Namespace' && r.metadata.namespace !== 'relationship') problems.push(`${ctx.profile}: ${resourceId(r)} is not in namespace relationship`);
  }

  const hpaTargets = new Set(
    resources.filter((r) => r.kind === 'HorizontalPodAutoscaler').map((hpa) => {
      const target = asDict(asDict(hpa['spec'])['scaleTargetRef']);
      if (target['kind'] !== 'Deployment' || !find(resources, 'Deployment', String(target['name']))) problems.push(`${ctx.profile}: HPA ${hpa.metadata.name} targets ${target['kind']}/${target['name']}, which does not exist`);
      return String(target['name']);
    }),
  );
  if (!hpaTargets.has('gateway')) problems.push(`${ctx.profile}: the gateway has no HorizontalPodAutoscaler`);

  const servicePorts = new Map<string, number>();
  for (const svc of resources.filter((r) => r.kind === 'Service')) {
    const port = asArray(asDict(svc['spec'])['ports']).map(asDict)[0];
    if (port) servicePorts.set(svc.metadata.name, Number(port['port']));
  }

  const envs = new Map<string, Record<string, string>>();
  const policies = resources.filter((r) => r.kind === 'NetworkPolicy');
  for (const deployment of deployments) {
    const name = deployment.metadata.name;
    const where = `${ctx.profile}: Deployment ${name}`;
    const spec = asDict(deployment['spec']);
    const pod = asDict(podTemplate(deployment)['spec']);
    const labels = podLabels(deployment);
    const annotations = asDict(asDict(podTemplate(deployment)['metadata'])['annotations']);
    const containers = asArray(pod['containers']).map(asDict);
    const container = containers.find((c) => c['name'] === name);
    if (!selects(spec['selector'], labels)) problems.push(`${where}: spec.selector does not match its pod labels`);
    if (!container) {
      problems.push(`${where}: no container named ${name}`);
      continue;
    }
    if (hpaTargets.has(name) && spec['replicas'] !== undefined) problems.push(`${where}: scaled by an HPA, so it must not set spec.replicas (every apply would reset the HPA's choice)`);

    // image
    const image = String(container['image'] ?? '');
    const imageProblem = imageTagProblem(image);
    if (imageProblem) problems.push(`${where}: ${imageProblem}`);
    // Every process of a service runs the service's one image (matching-worker runs relationship/matching).
    const imageName = ctx.services.get(name)?.service ?? name;
    if (!image.endsWith(`/${imageName}`) && !new RegExp(`/${imageName}[:@]`).test(image)) problems.push(`${where}: image ${image} is not the ${imageName} image`);

    // ports: containerPort = PORT env = the schema's default = Service port; probes and annotations on it
    const http = asArray(container['ports']).map(asDict).find((p) => p['name'] === 'http');
    const port = http ? Number(http['containerPort']) : undefined;
    if (!port) problems.push(`${where}: no container port named http`);
    const config = ctx.services.get(name);
    const env = containerEnv(resources, container, where, ctx, problems);
    if (config) {
      envs.set(name, env);
      problems.push(...envProblems(where, config, env));
      const command = [...asArray(container['command']), ...asArray(container['args'])].map(String);
      problems.push(...commandProblems(where, config, command.length ? command : undefined));
      if (Number(env['PORT']) !== port) problems.push(`${where}: PORT env (${env['PORT'] ?? 'unset'}) differs from containerPort ${port}`);
      if (config.defaultPort !== undefined && port !== config.defaultPort) problems.push(`${where}: containerPort ${port} but ${name}'s configuration assigns it port ${config.defaultPort}`);
      if (env['HOST'] !== '0.0.0.0') problems.push(`${where}: HOST must be 0.0.0.0 (is ${env['HOST'] ?? 'unset'}); the kubelet probes the pod IP`);
    } else if (name === 'portal') {
      if (port !== PORTAL_PORT) problems.push(`${where}: the portal listens on ${PORTAL_PORT}, containerPort is ${port}`);
      problems.push(...portalEnvProblems(where, env, ctx.serveMjs));
    }

    if (ctx.profile === 'prod') {
      if (env['DEMO_MODE'] === 'true') problems.push(`${where}: DEMO_MODE=true in production`);
      if (config && env['NODE_ENV'] !== 'production') problems.push(`${where}: NODE_ENV must be production (is ${env['NODE_ENV'] ?? 'unset'})`);
    }

    for (const [probe, path] of [['readinessProbe', '/health/ready'], ['livenessProbe', '/health/live']] as const) {
      const get = asDict(asDict(container[probe])['httpGet']);
      if (get['path'] !== path) problems.push(`${where}: ${probe} must GET ${path} (is ${get['path'] ?? 'missing'})`);
      else if (resolvePort(container, get['port']) !== port) problems.push(`${where}: ${probe} port ${get['port']} is not the http port ${port}`);
    }
    if (isDict(container['startupProbe'])) {
      const get = asDict(asDict(container['startupProbe'])['httpGet']);
      if (resolvePort(container, get['port']) !== port) problems.push(`${where}: startupProbe port ${get['port']} is not the http port ${port}`);
    }

    // NetworkPolicies that select these pods: ingress must let the scraper and the probes reach the http port;
    // egress must allow DNS and every address the process is configured with (database, Redis, Kafka, upstreams).
    const selecting = policies.filter((p) => policySelects(p, labels));
    const policyTypes = (p: Resource) => asArray(asDict(p['spec'])['policyTypes']).map(String);
    const portsOf = (rules: unknown) => asArray(rules).map(asDict).map((rule) => (asArray(rule['ports']).length ? asArray(rule['ports']).map(asDict) : undefined));
    const allows = (direction: 'ingress' | 'egress', portNumber: number | undefined, portName?: string) =>
      portsOf(selecting.filter((p) => policyTypes(p).includes(direction === 'ingress' ? 'Ingress' : 'Egress')).flatMap((p) => asArray(asDict(p['spec'])[direction]))).some(
        (ports) => ports === undefined || ports.some((q) => q['port'] === undefined || q['port'] === portNumber || (portName !== undefined && q['port'] === portName)),
      );
    if (selecting.some((p) => policyTypes(p).includes('Ingress')) && port && !allows('ingress', port, 'http')) {
      problems.push(`${where}: a NetworkPolicy restricts ingress but does not allow the http port ${port} (metrics scraping, probes)`);
    }
    if (selecting.some((p) => policyTypes(p).includes('Egress'))) {
      if (!allows('egress', 53)) problems.push(`${where}: a NetworkPolicy restricts egress but does not allow DNS (port 53)`);
      const addresses: [string, string][] = Object.entries(env).filter(([k, v]) => /_URL$/.test(k) && /^[a-z]+:\/\//.test(v));
      for (const broker of (env['KAFKA_BROKERS'] ?? '').split(',').map((b) => b.trim()).filter(Boolean)) addresses.push(['KAFKA_BROKERS', broker]);
      for (const [variable, value] of addresses) {
        const target = hostPort(value);
        if (target?.port !== undefined && !allows('egress', target.port)) problems.push(`${where}: a NetworkPolicy restricts egress but does not allow port ${target.port} (${variable})`);
      }
    }

    const svc = find(resources, 'Service', name);
    if (svc) {
      const svcSpec = asDict(svc['spec']);
      if (!selects(svcSpec['selector'], labels)) problems.push(`${ctx.profile}: Service ${name} selects no pod of Deployment ${name}`);
      const svcPort = asArray(svcSpec['ports']).map(asDict)[0] ?? {};
      if (resolvePort(container, svcPort['targetPort'] ?? svcPort['port']) !== port) problems.push(`${ctx.profile}: Service ${name} targetPort ${svcPort['targetPort']} is not the container's http port ${port}`);
      if (Number(svcPort['port']) !== port) problems.push(`${ctx.profile}: Service ${name} port ${svcPort['port']} differs from the container port ${port} (URLs like http://${name}:${port} rely on them being equal)`);
    }
    const pdb = find(resources, 'PodDisruptionBudget', name);
    if (pdb && !selects(asDict(pdb['spec'])['selector'], labels)) problems.push(`${ctx.profile}: PodDisruptionBudget ${name} selects no pod of Deployment ${name}`);

    // Prometheus: scrape annotations (the port is the http port: /metrics is served there)
    if (!('prometheus.io/scrape' in annotations)) problems.push(`${where}: no prometheus.io/scrape annotation`);
    if (annotations['prometheus.io/scrape'] === 'true') {
      if (Number(annotations['prometheus.io/port']) !== port) problems.push(`${where}: prometheus.io/port ${annotations['prometheus.io/port']} is not the http port ${port}`);
      if (annotations['prometheus.io/path'] !== '/metrics') problems.push(`${where}: prometheus.io/path must be /metrics`);
    } else if (config) problems.push(`${where}: every Nest service serves /metrics; prometheus.io/scrape must be "true"`);

    // resources, security, shutdown, spreading
    problems.push(...containerSecurityProblems(where, pod, container));
    const sc = asDict(container['securityContext']);
    if (typeof pod['terminationGracePeriodSeconds'] !== 'number') problems.push(`${where}: terminationGracePeriodSeconds is not set`);
    const spread = asArray(pod['topologySpreadConstraints']).map(asDict);
    if (!spread.length) problems.push(`${where}: no topologySpreadConstraints`);
    for (const constraint of spread) if (!selects(constraint['labelSelector'], labels)) problems.push(`${where}: a topologySpreadConstraint does not select its own pods`);
    const mounts = new Set(asArray(container['volumeMounts']).map((m) => String(asDict(m)['mountPath'])));
    if (sc['readOnlyRootFilesystem'] === true && !mounts.has('/tmp')) problems.push(`${where}: read-only root filesystem without a writable /tmp (emptyDir)`);

    // URLs to other services (the gateway's upstreams) name a Service and its port
    for (const [variable, value] of Object.entries(env)) {
      if (!/_URL$/.test(variable) || !/^https?:\/\//.test(value)) continue;
      const target = hostPort(value);
      if (!target) continue;
      const upstream = target.host.split('.')[0];
      if (!servicePorts.has(upstream)) problems.push(`${where}: ${variable}=${value} names no Service of these manifests`);
      else if (servicePorts.get(upstream) !== target.port) problems.push(`${where}: ${variable} uses port ${target.port}, Service ${upstream} listens on ${servicePorts.get(upstream)}`);
    }
  }

  for (const policy of policies) {
    if (!deployments.some((d) => policySelects(policy, podLabels(d)))) problems.push(`${ctx.profile}: NetworkPolicy ${policy.metadata.name} selects no pod of any Deployment`);
  }
  for (const service of ctx.serviceNames) {
    problems.push(...sharedEnvProblems(`${ctx.profile}: service ${service}`, processes.filter((p) => p.service === service), envs));
  }

  // -- the topics: the kafka-topics Job (tools/kafka-provision) creates them on the brokers and in the namespace the
  //    services use, bounded and retried, as a restricted pod
  const job = find(resources, 'Job', TOPICS_INIT);
  if (!job) problems.push(`${ctx.profile}: no Job ${TOPICS_INIT}: nothing creates the Kafka topics the services wait for`);
  else {
    const where = `${ctx.profile}: Job ${TOPICS_INIT}`;
    const spec = asDict(job['spec']);
    for (const field of ['backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished']) {
      if (typeof spec[field] !== 'number') problems.push(`${where}: spec.${field} is not set`);
    }
    const pod = asDict(asDict(spec['template'])['spec']);
    if (pod['restartPolicy'] !== 'Never' && pod['restartPolicy'] !== 'OnFailure') problems.push(`${where}: restartPolicy must be Never or OnFailure (is ${String(pod['restartPolicy'] ?? 'unset')})`);
    const container = asArray(pod['containers']).map(asDict).find((c) => c['name'] === TOPICS_INIT);
    if (!container) problems.push(`${where}: no container named ${TOPICS_INIT}`);
    else {
      const image = String(container['image'] ?? '');
      const imageProblem = imageTagProblem(image);
      if (imageProblem) problems.push(`${where}: ${imageProblem}`);
      if (!new RegExp(`/${PROVISIONER}([:@]|$)`).test(image)) problems.push(`${where}: image ${image} is not the ${PROVISIONER} image`);
      const env = containerEnv(resources, container, where, ctx, problems);
      const users = [...envs].filter(([name]) => usesKafka(ctx.services.get(name) as ServiceConfig)).map(([name, userEnv]) => ({ name, env: userEnv }));
      const command = [...asArray(container['command']), ...asArray(container['args'])].map(String);
      problems.push(...provisionerProblems(where, command.length ? command : undefined, env, users, ctx.parseProvisionRequest));
      problems.push(...containerSecurityProblems(where, pod, container));
    }
  }

  // -- Ingress: /api to the gateway, everything else to the portal; backends exist
  const ingresses = resources.filter((r) => r.kind === 'Ingress');
  if (!ingresses.length) problems.push(`${ctx.profile}: no Ingress`);
  const routes = new Map<string, string>();
  for (const ingress of ingresses) {
    for (const rule of asArray(asDict(ingress['spec'])['rules']).map(asDict)) {
      for (const path of asArray(asDict(rule['http'])['paths']).map(asDict)) {
        const backend = asDict(asDict(path['backend'])['service']);
        const svc = find(resources, 'Service', String(backend['name']));
        const backendPort = asDict(backend['port']);
        routes.set(String(path['path']), String(backend['name']));
        if (!svc) problems.push(`${ctx.profile}: Ingress ${ingress.metadata.name} routes ${path['path']} to Service ${backend['name']}, which does not exist`);
        else {
          const ports = asArray(asDict(svc['spec'])['ports']).map(asDict);
          if (!ports.some((p) => (backendPort['name'] !== undefined ? p['name'] === backendPort['name'] : p['port'] === backendPort['number']))) {
            problems.push(`${ctx.profile}: Ingress ${ingress.metadata.name} uses port ${JSON.stringify(backendPort)} of Service ${backend['name']}, which has no such port`);
          }
        }
      }
    }
  }
  if (ingresses.length && routes.get('/api') !== 'gateway') problems.push(`${ctx.profile}: the Ingress must route /api to the gateway`);
  if (ingresses.length && ctx.portal && routes.get('/') !== 'portal') problems.push(`${ctx.profile}: the Ingress must route / to the portal`);

  // -- production: no placeholder secret, no demo, every secret comes from the external store
  if (ctx.profile === 'prod') {
    for (const secret of resources.filter((r) => r.kind === 'Secret')) {
      if (Object.values(dataOf(secret)).some((v) => PLACEHOLDER.test(v))) problems.push(`prod: Secret ${secret.metadata.name} holds placeholder values (the template must not reach production)`);
    }
    for (const cm of resources.filter((r) => r.kind === 'ConfigMap')) {
      if (dataOf(cm)['DEMO_MODE'] === 'true') problems.push(`prod: ConfigMap ${cm.metadata.name} sets DEMO_MODE=true`);
    }
  }
  for (const deployment of deployments) {
    for (const c of containersOf(deployment)) {
      const problem = imageTagProblem(String(c['image'] ?? ''));
      if (problem && c['name'] !== deployment.metadata.name) problems.push(`${ctx.profile}: Deployment ${deployment.metadata.name}: ${problem}`);
    }
  }
  return problems;
}
