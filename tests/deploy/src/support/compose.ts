import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { asArray, asDict, Dict, exists, hostPort, imageTagProblem, isDict, readText, REPO_ROOT, repoPath } from './repo';
import { portalEnvProblems } from './portal';
import { commandProblems, envProblems, MAIN_ENTRY, ServiceConfig, sharedEnvProblems } from './service-config';
import { KafkaUser, ParseProvisionRequest, PROVISIONER, PROVISIONER_ROOT, provisionerProblems, TOPICS_INIT, usesKafka } from './kafka-topics';

export const COMPOSE_FILE = 'docker-compose.yml';
export const SERVICE_DOCKERFILE = 'docker/service.Dockerfile';
export const PORTAL_DOCKERFILE = 'docker/portal.Dockerfile';
export const MYSQL_INIT_DIR = 'docker/mysql-init';

/** The only services whose ports reach the host, and the ports they publish. */
export const PUBLISHED = { gateway: 3000, portal: 4200 } as const;

/** Where infrastructure listens inside the compose network. */
export const INFRA = ['kafka', 'mysql', 'redis'] as const;

/** The project as `docker compose config` loads it (compose-go: anchors merged, interpolated, schema-validated, normalised). */
export interface Compose {
  services: Record<string, Dict>;
  raw: Dict;
  /** Variables referenced without a default and not set: a plain `docker compose up` would use an empty string. */
  unset: string[];
}

/** tests/deploy/compose-config (compose-go), built by infra/local/install-deploy-tools.sh (run by `make test`). */
export const COMPOSE_CONFIG = process.env['COMPOSE_CONFIG'] || repoPath('.local/tools/bin/compose-config');

export class ComposeError extends Error {}

/**
 * Loads compose text (default: docker-compose.yml) with compose-go, in the repository root, with an interpolation
 * environment of `env` only (what a new machine's shell has: nothing). An invalid file throws the loader's message.
 */
export function renderCompose(text = readText(COMPOSE_FILE), env: Record<string, string> = {}): Compose {
  if (!existsSync(COMPOSE_CONFIG)) throw new ComposeError(`${COMPOSE_CONFIG} is missing: run infra/local/install-deploy-tools.sh (make test does)`);
  let output: string;
  try {
    output = execFileSync(COMPOSE_CONFIG, [REPO_ROOT, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)], { input: text, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    // the loader's verdict is the last line; the lines before are its warnings
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new ComposeError(`${COMPOSE_FILE}: ${stderr.split('\n').pop() || (error as Error).message}`);
  }
  const { project, unset } = JSON.parse(output) as { project: Dict; unset: string[] };
  return { raw: project, services: asDict(project['services']) as Record<string, Dict>, unset };
}

export const loadCompose = (): Compose => renderCompose();

/** A service's environment as the container sees it (values as strings; compose-go has interpolated them). */
export function composeEnv(service: Dict): Record<string, string> {
  return Object.fromEntries(Object.entries(asDict(service['environment'])).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
}

const dependsOn = (service: Dict): Record<string, Dict> => {
  const value = service['depends_on'];
  if (Array.isArray(value)) return Object.fromEntries(value.map((name) => [String(name), {}]));
  return asDict(value) as Record<string, Dict>;
};

const buildOf = (service: Dict): Dict => (typeof service['build'] === 'string' ? { context: service['build'] } : asDict(service['build']));

/** The folder docker/service.Dockerfile builds the project from (its APP_ROOT build arg): services, or tools. */
const appRootOf = (service: Dict): string => String(asDict(buildOf(service)['args'])['APP_ROOT'] ?? 'services');

/** Compose services built from docker/service.Dockerfile with APP_ROOT `root`, and the SERVICE build arg of each. */
function builtFromServiceDockerfile(compose: Compose, root: (appRoot: string) => boolean): Map<string, string> {
  const result = new Map<string, string>();
  for (const [name, service] of Object.entries(compose.services)) {
    const build = buildOf(service);
    if (build['dockerfile'] === SERVICE_DOCKERFILE && root(appRootOf(service))) result.set(name, String(asDict(build['args'])['SERVICE'] ?? ''));
  }
  return result;
}

/** Nest services = compose services built from docker/service.Dockerfile out of services/; their name is the SERVICE build arg. */
export const nestServicesInCompose = (compose: Compose): Map<string, string> => builtFromServiceDockerfile(compose, (root) => root === 'services');

/** One-shot tools (the same image recipe, APP_ROOT=tools): they run to completion before the services start. */
export const toolsInCompose = (compose: Compose): Map<string, string> => builtFromServiceDockerfile(compose, (root) => root === PROVISIONER_ROOT);

/** The port a compose service listens on inside the network (what URLs to it must use). */
function listenPort(compose: Compose, name: string): number | undefined {
  const service = compose.services[name];
  if (!service) return undefined;
  const env = composeEnv(service);
  if (env['PORT']) return Number(env['PORT']);
  if (env['PORTAL_PORT']) return Number(env['PORTAL_PORT']);
  if (name === 'mysql') return 3306;
  if (name === 'redis') return 6379;
  return undefined;
}

/** Kafka's listener for the other containers: the advertised INTERNAL listener (host:port). */
export function kafkaInternalListener(compose: Compose): { host: string; port: number } | undefined {
  const env = composeEnv(compose.services['kafka'] ?? {});
  const advertised = (env['KAFKA_ADVERTISED_LISTENERS'] ?? '').split(',').map((l) => l.trim());
  const internal = advertised.find((l) => l.startsWith(`${env['KAFKA_INTER_BROKER_LISTENER_NAME'] ?? 'INTERNAL'}://`));
  const match = internal && /:\/\/([^:]+):(\d+)$/.exec(internal);
  return match ? { host: match[1], port: Number(match[2]) } : undefined;
}

/** Whether a mysqld command line lets a non-SUPER user create triggers although binary logging is on (or turns it off). */
export function mysqlAllowsTriggers(args: string[]): boolean {
  return args.some((a) => /^--(log[-_]bin[-_]trust[-_]function[-_]creators(=(1|ON|TRUE))?|disable[-_]log[-_]bin|skip[-_]log[-_]bin)$/i.test(a));
}

/** Databases and users that docker/mysql-init creates. */
export function mysqlInitObjects(sql: string): { databases: Set<string>; users: Set<string> } {
  const databases = new Set([...sql.matchAll(/CREATE\s+DATABASE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?(\w+)`?/gi)].map((m) => m[1]));
  const users = new Set([...sql.matchAll(/CREATE\s+USER\s+(?:IF\s+NOT\s+EXISTS\s+)?'([^']+)'@'%'/gi)].map((m) => m[1]));
  return { databases, users };
}

export interface ComposeContext {
  /** Every process of every service, by deployment name (matching, matching-worker, ...). */
  services: Map<string, ServiceConfig>;
  /** Services whose migrations create triggers (MySQL with binary logging then needs log_bin_trust_function_creators). */
  triggerServices: string[];
  serviceNames: string[];
  portal: boolean;
  mysqlInitSql: string;
  /** frontend/portal/serve.mjs, which the portal container runs. */
  serveMjs: string;
  /** tools/kafka-provision's own parser of its command line and environment. */
  parseProvisionRequest: ParseProvisionRequest;
}

/**
 * An address a container uses (URL or host:port) must name a compose service on the port it listens on.
 * Returns the service it names, so the caller can require it in depends_on.
 */
function checkAddress(compose: Compose, where: string, variable: string, value: string, problems: string[]): string | undefined {
  const target = hostPort(value);
  if (!target) {
    problems.push(`${where}: ${variable}=${value} is not an address`);
    return undefined;
  }
  if (!compose.services[target.host]) {
    problems.push(`${where}: ${variable} points at "${target.host}", which is not a compose service`);
    return undefined;
  }
  const port = target.host === 'kafka' ? kafkaInternalListener(compose)?.port : listenPort(compose, target.host);
  if (target.port !== port) problems.push(`${where}: ${variable} uses ${target.host}:${target.port}, but ${target.host} listens on ${port}`);
  return target.host;
}

/** Every way docker-compose.yml can drift from the code. Returns human-readable problems; empty = fine. */
export function checkCompose(compose: Compose, ctx: ComposeContext): string[] {
  const problems: string[] = compose.unset.map((variable) => `${COMPOSE_FILE}: \${${variable}} has no default, so a plain "docker compose up" on a new machine fails`);
  const nest = nestServicesInCompose(compose);
  const tools = toolsInCompose(compose);

  // -- one compose service per folder of services/, and the other way round
  for (const name of ctx.serviceNames) {
    if (!compose.services[name]) problems.push(`services/${name} has no compose service "${name}"`);
    else if (!nest.has(name)) problems.push(`compose service "${name}" is not built from ${SERVICE_DOCKERFILE}`);
    else if (nest.get(name) !== name) problems.push(`compose service "${name}" builds SERVICE=${nest.get(name)} (must be its own folder name)`);
  }
  // ... and one per further entry point (e.g. matching-worker), built from the same image, running its own file
  for (const config of ctx.services.values()) {
    if (config.entry === MAIN_ENTRY) continue;
    if (!compose.services[config.name]) problems.push(`services/${config.service} builds the entry point ${config.file}, but compose has no service "${config.name}" running it`);
  }
  for (const [name, arg] of nest) {
    const config = ctx.services.get(name);
    if (!config && !ctx.serviceNames.includes(name)) problems.push(`compose service "${name}" has no folder services/${name}`);
    else if (config && config.entry !== MAIN_ENTRY && arg !== config.service) {
      problems.push(`compose service "${name}" builds SERVICE=${arg}, but it runs ${config.file} of services/${config.service} (the ${config.service} image)`);
    }
    if (arg && !exists(`services/${arg}/project.json`)) problems.push(`compose service "${name}": build arg SERVICE=${arg} but services/${arg}/project.json does not exist`);
  }
  for (const [name, arg] of tools) {
    if (!exists(`${PROVISIONER_ROOT}/${arg}/project.json`)) problems.push(`compose service "${name}": build args APP_ROOT=${PROVISIONER_ROOT} SERVICE=${arg} but ${PROVISIONER_ROOT}/${arg}/project.json does not exist`);
  }
  for (const infra of INFRA) if (!compose.services[infra]) problems.push(`compose has no "${infra}" service`);
  if (ctx.portal && !compose.services['portal']) problems.push('the portal exists (frontend/portal) but compose has no "portal" service');

  // -- images: explicit, never latest; build files exist
  for (const [name, service] of Object.entries(compose.services)) {
    const image = service['image'];
    if (typeof image !== 'string') {
      if (!service['build']) problems.push(`compose service "${name}" has neither image nor build`);
    } else {
      const problem = imageTagProblem(image);
      if (problem) problems.push(`compose service "${name}": ${problem}`);
    }
    const build = buildOf(service);
    if (service['build']) {
      if (build['context'] !== REPO_ROOT) problems.push(`compose service "${name}": build context must be the repository root "." (the Dockerfiles build the Nx workspace), is ${String(build['context'])}`);
      const dockerfile = String(build['dockerfile'] ?? 'Dockerfile');
      if (!exists(dockerfile)) problems.push(`compose service "${name}": build.dockerfile ${dockerfile} does not exist`);
    }
  }

  // -- published ports: only the gateway and the portal, on their own ports
  for (const [name, service] of Object.entries(compose.services)) {
    const ports = asArray(service['ports']).map((p) => (isDict(p) ? `${p['published']}:${p['target']}` : String(p)));
    const expected = (PUBLISHED as Record<string, number>)[name];
    if (expected === undefined) {
      if (ports.length) problems.push(`compose service "${name}" publishes ${ports.join(', ')}: only the gateway and the portal may reach the host`);
      continue;
    }
    if (!compose.services[name]) continue;
    const target = listenPort(compose, name);
    if (ports.length !== 1 || ports[0] !== `${expected}:${target}`) {
      problems.push(`compose service "${name}" must publish exactly "${expected}:${target}" (its listening port), has [${ports.join(', ')}]`);
    }
  }
  for (const name of Object.keys(PUBLISHED)) {
    if (compose.services[name] && !asArray(compose.services[name]['ports']).length) problems.push(`compose service "${name}" is not published on the host`);
  }

  // -- healthchecks on every long-running service, and depends_on only on healthy services or completed one-shots
  for (const [name, service] of Object.entries(compose.services)) {
    const healthcheck = asDict(service['healthcheck']);
    const test = asArray(healthcheck['test']).map(String).join(' ') || String(healthcheck['test'] ?? '');
    if (tools.has(name)) {
      if (healthcheck['disable'] !== true) problems.push(`compose service "${name}" runs once and serves no /health: its healthcheck must be disabled (disable: true)`);
      if (service['restart'] !== 'no' && service['restart'] !== 'on-failure') problems.push(`compose service "${name}" runs once: restart must be "no" (is ${String(service['restart'] ?? 'unset')})`);
    } else if (!test || healthcheck['disable'] === true) problems.push(`compose service "${name}" has no healthcheck`);
    if (nest.has(name) && !/\/health\/(ready|live)\b/.test(test)) problems.push(`compose service "${name}": healthcheck must call /health/ready or /health/live, is "${test}"`);
    for (const [dependency, options] of Object.entries(dependsOn(service))) {
      const condition = tools.has(dependency) ? 'service_completed_successfully' : 'service_healthy';
      if (!compose.services[dependency]) problems.push(`compose service "${name}" depends on unknown service "${dependency}"`);
      else if (!tools.has(dependency) && !isDict(compose.services[dependency]['healthcheck'])) problems.push(`compose service "${name}" depends on "${dependency}", which has no healthcheck`);
      if (options['condition'] !== condition) problems.push(`compose service "${name}": depends_on "${dependency}" must use condition: ${condition}`);
    }
  }

  // -- each Nest service: env accepted by its schema, ports, and every address it uses is a healthy dependency
  const kafka = kafkaInternalListener(compose);
  const init = mysqlInitObjects(ctx.mysqlInitSql);
  const publicKeys = new Map<string, string>();
  const envs = new Map<string, Record<string, string>>();
  const kafkaUsers: KafkaUser[] = [];
  for (const config of ctx.services.values()) {
    const name = config.name;
    const service = compose.services[name];
    if (!service) continue;
    const env = composeEnv(service);
    envs.set(name, env);
    const where = `compose service "${name}"`;
    problems.push(...envProblems(where, config, env));
    const command = service['command'];
    problems.push(...commandProblems(where, config, command === undefined || command === null ? undefined : Array.isArray(command) ? command.map(String) : String(command).split(/\s+/).filter(Boolean)));

    if (env['HOST'] !== '0.0.0.0') problems.push(`${where}: HOST must be 0.0.0.0 in a container (is ${env['HOST'] ?? 'unset'}, the service defaults to 127.0.0.1)`);
    if (env['NODE_ENV'] !== 'development' || env['DEMO_MODE'] !== 'true') problems.push(`${where}: compose is the demo path: NODE_ENV=development and DEMO_MODE=true`);
    if (!env['PORT']) problems.push(`${where}: PORT is not set`);
    else if (config.defaultPort !== undefined && Number(env['PORT']) !== config.defaultPort) {
      problems.push(`${where}: PORT=${env['PORT']} but ${name}'s configuration assigns it port ${config.defaultPort}`);
    }
    if (env['JWT_PUBLIC_KEYS'] !== undefined) publicKeys.set(name, env['JWT_PUBLIC_KEYS']);

    const needs = new Set<string>();
    const requireTarget = (variable: string, value: string) => {
      const host = checkAddress(compose, where, variable, value, problems);
      if (host) needs.add(host);
    };
    for (const [variable, value] of Object.entries(env)) {
      if (/_URL$/.test(variable) && /^[a-z]+:\/\//.test(value)) requireTarget(variable, value);
    }
    for (const broker of (env['KAFKA_BROKERS'] ?? '').split(',').map((b) => b.trim()).filter(Boolean)) {
      requireTarget('KAFKA_BROKERS', broker);
    }
    if (env['DATABASE_URL']) {
      const url = new URL(env['DATABASE_URL'].replace(/^mariadb:/, 'mysql:'));
      const database = url.pathname.slice(1);
      if (database !== `relationship_${config.service}`) problems.push(`${where}: DATABASE_URL names database "${database}", expected relationship_${config.service}`);
      if (!init.databases.has(database)) problems.push(`${where}: database "${database}" is not created by ${MYSQL_INIT_DIR}`);
      if (!init.users.has(decodeURIComponent(url.username))) problems.push(`${where}: user "${url.username}" is not created by ${MYSQL_INIT_DIR}`);
      const mysqlImage = String(compose.services[url.hostname]?.['image'] ?? '');
      if (mysqlImage.startsWith('mysql:') && env['DB_DRIVER'] !== 'mysql') problems.push(`${where}: the database is ${mysqlImage}, so DB_DRIVER must be mysql (is ${env['DB_DRIVER'] ?? 'unset, i.e. mariadb'})`);
    }
    const declared = dependsOn(service);
    for (const dependency of needs) {
      if (!declared[dependency]) problems.push(`${where} uses "${dependency}" but does not depend_on it (condition: service_healthy)`);
    }
    if (usesKafka(config)) {
      kafkaUsers.push({ name, env });
      if (!declared[TOPICS_INIT]) problems.push(`${where} uses Kafka but does not depend_on "${TOPICS_INIT}" (condition: service_completed_successfully): its topics might not exist yet`);
    }
  }
  for (const service of ctx.serviceNames) {
    problems.push(...sharedEnvProblems(`compose service "${service}"`, [...ctx.services.values()].filter((c) => c.service === service), envs));
  }
  if (new Set(publicKeys.values()).size > 1) problems.push(`JWT_PUBLIC_KEYS differs between compose services (${[...publicKeys.keys()].join(', ')}): a token identity signs would verify in some and not in others`);

  // -- the portal: serve.mjs configured by its own variables, reaching the gateway
  if (compose.services['portal']) {
    const portal = compose.services['portal'];
    const where = 'compose service "portal"';
    const env = composeEnv(portal);
    if (buildOf(portal)['dockerfile'] !== PORTAL_DOCKERFILE) problems.push(`${where} must build from ${PORTAL_DOCKERFILE}`);
    if (ctx.portal) problems.push(...portalEnvProblems(where, env, ctx.serveMjs));
    if (env['GATEWAY_URL'] && checkAddress(compose, where, 'GATEWAY_URL', env['GATEWAY_URL'], problems) !== 'gateway') {
      problems.push(`${where}: GATEWAY_URL must point at the gateway`);
    }
    if (!dependsOn(portal)['gateway']) problems.push(`${where} proxies /api to the gateway and must depend_on it`);
    const test = asArray(asDict(portal['healthcheck'])['test']).map(String).join(' ');
    if (!/\/health\/(ready|live)\b/.test(test)) problems.push(`${where}: healthcheck must call /health/ready or /health/live`);
  }

  // -- the topics: provisioned once by kafka-topics (tools/kafka-provision) on the brokers and namespace the services use
  const provisioner = compose.services[TOPICS_INIT];
  if (!provisioner) problems.push(`compose has no "${TOPICS_INIT}" service: nothing creates the Kafka topics before the services start`);
  else {
    const where = `compose service "${TOPICS_INIT}"`;
    if (tools.get(TOPICS_INIT) !== PROVISIONER) problems.push(`${where} must build ${PROVISIONER_ROOT}/${PROVISIONER} from ${SERVICE_DOCKERFILE} (build args APP_ROOT=${PROVISIONER_ROOT}, SERVICE=${PROVISIONER})`);
    const env = composeEnv(provisioner);
    const command = provisioner['command'];
    const argv = command === undefined || command === null ? undefined : Array.isArray(command) ? command.map(String) : String(command).split(/\s+/).filter(Boolean);
    problems.push(...provisionerProblems(where, argv, env, kafkaUsers, ctx.parseProvisionRequest));
    for (const broker of (env['KAFKA_BROKERS'] ?? '').split(',').map((b) => b.trim()).filter(Boolean)) {
      const host = checkAddress(compose, where, 'KAFKA_BROKERS', broker, problems);
      if (host && !dependsOn(provisioner)[host]) problems.push(`${where} uses "${host}" but does not depend_on it (condition: service_healthy)`);
    }
  }

  // -- Kafka: single node KRaft, no auto-created topics, replication 1, an internal listener for the containers
  const kafkaEnv = composeEnv(compose.services['kafka'] ?? {});
  if (compose.services['kafka']) {
    const expect = (key: string, value: string) => {
      if (kafkaEnv[key] !== value) problems.push(`compose kafka: ${key} must be ${value} (is ${kafkaEnv[key] ?? 'unset'})`);
    };
    expect('KAFKA_PROCESS_ROLES', 'broker,controller');
    expect('KAFKA_AUTO_CREATE_TOPICS_ENABLE', 'false');
    if (!kafkaEnv['KAFKA_NODE_ID']) problems.push('compose kafka: KAFKA_NODE_ID is not set');
    for (const [key, value] of Object.entries(kafkaEnv)) {
      if (/(REPLICATION_FACTOR|MIN_ISR|MIN_INSYNC_REPLICAS)$/.test(key) && value !== '1') problems.push(`compose kafka: ${key} must be 1 on a single broker (is ${value})`);
    }
    for (const key of ['KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR', 'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR']) {
      if (!kafkaEnv[key]) problems.push(`compose kafka: ${key} must be set to 1 (the default of 3 cannot be met by one broker)`);
    }
    if (!kafka || kafka.host !== 'kafka') problems.push('compose kafka: KAFKA_ADVERTISED_LISTENERS needs an internal listener advertised as kafka:<port> for the other containers');
  }

  // -- MySQL: the init scripts are mounted
  if (compose.services['mysql']) {
    const volumes = asArray(compose.services['mysql']['volumes']).map(asDict);
    if (!volumes.some((v) => v['type'] === 'bind' && v['source'] === repoPath(MYSQL_INIT_DIR) && v['target'] === '/docker-entrypoint-initdb.d')) {
      problems.push(`compose mysql must mount ./${MYSQL_INIT_DIR} on /docker-entrypoint-initdb.d`);
    }
    // MySQL 8 logs binary by default; a non-SUPER user may then create triggers only with this server setting.
    if (ctx.triggerServices.length && !mysqlAllowsTriggers(asArray(compose.services['mysql']['command']).map(String))) {
      problems.push(
        `compose mysql: the migrations of ${ctx.triggerServices.map((s) => `services/${s}`).join(', ')} create triggers, which the app user may do under binary logging only with --log-bin-trust-function-creators=1 (or --disable-log-bin)`,
      );
    }
  }
  return problems;
}
