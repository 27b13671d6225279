import { ConfigurationError, loadConfig } from '@relationship/service-kit';
import { z } from 'zod';
import { exists, readText, repoPath, serviceNames } from './repo';

/**
 * What the deployment files must satisfy for one process of a service: its environment schema, straight from its
 * code. A service (a folder of services/) runs one process per webpack entry point, all from the one image:
 * `main` (main.js, deployed under the service's own name) and any `additionalEntryPoints` (e.g. matching's
 * `worker` -> worker.js, deployed as matching-worker).
 */
export interface ServiceConfig {
  /** The deployment name: the folder name for main.js, `<folder>-<entryName>` for an additional entry point. */
  name: string;
  /** The folder of services/ (the Nx project, the image, the SERVICE build arg, the database relationship_<service>). */
  service: string;
  /** The webpack entry name: `main`, or the entryName of an additionalEntryPoints item. */
  entry: string;
  /** The file the process runs, relative to the image's WORKDIR: `<entry>.js`. */
  file: string;
  /** The exported zod object in services/<service>/src/app/config.ts that this process validates its env with. */
  schema: z.ZodObject;
  exportName: string;
  /** Every variable the schema knows. */
  keys: Set<string>;
  /** The schema's default PORT: the port the platform assigns to this process (3000 gateway, 3001 identity...). */
  defaultPort: number | undefined;
}

export const CONFIG_FILE = 'src/app/config.ts';

/** Variables a container may carry that no service schema declares (read by Node itself). */
export const RUNTIME_ENV = new Set(['NODE_OPTIONS', 'TZ']);

/** The main entry point every service has (NxAppWebpackPlugin `main`, emitted as main.js). */
export const MAIN_ENTRY = 'main';

/**
 * The entry points services/<name>/webpack.config.js builds: `main` plus the entryName of every
 * `additionalEntryPoints` item, each emitted as `<entry>.js` next to main.js.
 */
export function webpackEntryPoints(service: string): string[] {
  const file = `services/${service}/webpack.config.js`;
  if (!exists(file)) return [MAIN_ENTRY];
  const text = readText(file);
  const block = /additionalEntryPoints\s*:\s*\[([\s\S]*?)\]/.exec(text)?.[1] ?? '';
  const extra = [...block.matchAll(/entryName\s*:\s*['"]([A-Za-z0-9_-]+)['"]/g)].map((m) => m[1]);
  return [MAIN_ENTRY, ...extra];
}

/** The files a service's image holds that a container may run (`node <file>`). */
export const builtFiles = (service: string): string[] => webpackEntryPoints(service).map((entry) => `${entry}.js`);

/** The deployment name of one entry point of a service. */
export const processName = (service: string, entry: string): string => (entry === MAIN_ENTRY ? service : `${service}-${entry}`);

/**
 * Imports services/<name>/src/app/config.ts and picks one environment schema per entry point: the exported zod
 * objects with both NODE_ENV and PORT. With a single entry point there must be exactly one; with more, each
 * additional entry's schema is the one whose export name starts with the entry name (`workerConfigSchema` for
 * `worker`), and exactly one other schema is main's. The import is dynamic and by path on purpose: these tests
 * exist to check the coupling between the deployment files and every service's code, and a new folder in
 * services/ (or a new entry point) is picked up, and must then be deployed, without editing this file.
 */
export async function loadServiceConfigs(service: string, entries = webpackEntryPoints(service)): Promise<ServiceConfig[]> {
  const file = repoPath('services', service, CONFIG_FILE);
  let module: Record<string, unknown>;
  try {
    module = (await import(file)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`services/${service}/${CONFIG_FILE} could not be imported: ${(error as Error).message}`);
  }
  const candidates = Object.entries(module).filter(
    (entry): entry is [string, z.ZodObject] => entry[1] instanceof z.ZodObject && 'PORT' in entry[1].shape && 'NODE_ENV' in entry[1].shape,
  );
  const where = `services/${service}/${CONFIG_FILE}`;
  const listed = candidates.map(([n]) => n).join(', ') || 'none';
  if (entries.length === 1 && candidates.length !== 1) {
    throw new Error(`${where} must export exactly one zod object schema of the service's environment (with NODE_ENV and PORT); found ${candidates.length}: ${listed}`);
  }
  const remaining = [...candidates];
  const picked = new Map<string, [string, z.ZodObject]>();
  for (const entry of entries.filter((e) => e !== MAIN_ENTRY)) {
    const matches = remaining.filter(([exportName]) => exportName.toLowerCase().startsWith(entry.toLowerCase()));
    if (matches.length !== 1) {
      throw new Error(
        `${where}: webpack.config.js builds the entry point "${entry}", so the file must export exactly one environment schema (zod object with NODE_ENV and PORT) named ${entry}…; found ${matches.length} among: ${listed}`,
      );
    }
    picked.set(entry, matches[0]);
    remaining.splice(remaining.indexOf(matches[0]), 1);
  }
  if (remaining.length !== 1) {
    throw new Error(`${where}: exactly one environment schema (zod object with NODE_ENV and PORT) must remain for main.js once the other entry points took theirs; found ${remaining.length}: ${remaining.map(([n]) => n).join(', ') || 'none'}`);
  }
  picked.set(MAIN_ENTRY, remaining[0]);
  return entries.map((entry) => {
    const [exportName, schema] = picked.get(entry) as [string, z.ZodObject];
    const port = (schema.shape['PORT'] as z.ZodType).safeParse(undefined);
    return {
      name: processName(service, entry),
      service,
      entry,
      file: `${entry}.js`,
      schema,
      exportName,
      keys: new Set(Object.keys(schema.shape)),
      defaultPort: port.success && typeof port.data === 'number' ? port.data : undefined,
    };
  });
}

/** The main process's configuration of one service (kept for callers that only care about main.js). */
export async function loadServiceConfig(name: string): Promise<ServiceConfig> {
  return (await loadServiceConfigs(name)).find((c) => c.entry === MAIN_ENTRY) as ServiceConfig;
}

/** Every process of every service, keyed by deployment name (matching, matching-worker, ...). */
export async function loadAllServiceConfigs(): Promise<Map<string, ServiceConfig>> {
  const configs = new Map<string, ServiceConfig>();
  for (const name of serviceNames()) for (const config of await loadServiceConfigs(name)) configs.set(config.name, config);
  return configs;
}

/**
 * Variables that the processes of one service must agree on when both read them: they reach the same database,
 * broker and queue (an API enqueueing under one QUEUE_PREFIX and a worker listening under another never meet).
 */
export const SHARED_BETWEEN_PROCESSES = ['DATABASE_URL', 'DB_DRIVER', 'KAFKA_BROKERS', 'REDIS_URL', 'QUEUE_PREFIX'];

/** Problems of the environments of one service's processes against each other (see SHARED_BETWEEN_PROCESSES). */
export function sharedEnvProblems(where: string, configs: ServiceConfig[], envs: Map<string, Record<string, string>>): string[] {
  const problems: string[] = [];
  const main = configs.find((c) => c.entry === MAIN_ENTRY);
  if (!main || !envs.has(main.name)) return problems;
  const mainEnv = envs.get(main.name) as Record<string, string>;
  for (const other of configs.filter((c) => c !== main && envs.has(c.name))) {
    const env = envs.get(other.name) as Record<string, string>;
    for (const key of SHARED_BETWEEN_PROCESSES.filter((k) => main.keys.has(k) && other.keys.has(k))) {
      if ((mainEnv[key] ?? '') !== (env[key] ?? '')) {
        problems.push(`${where}: ${other.name} and ${main.name} are one service and must share ${key} (${env[key] ?? 'unset'} vs ${mainEnv[key] ?? 'unset'})`);
      }
    }
  }
  return problems;
}

/**
 * The command a container runs (compose `command`, Kubernetes `command` + `args`): none keeps the image's
 * CMD (node main.js); otherwise it must be `node <file>` with the file this process's entry point builds.
 */
export function commandProblems(where: string, config: ServiceConfig, command: string[] | undefined): string[] {
  const effective = command && command.length ? command : ['node', 'main.js'];
  const built = builtFiles(config.service);
  const file = effective[effective.length - 1];
  if (effective.length !== 2 || effective[0] !== 'node') return [`${where}: command ${JSON.stringify(effective)} must be ["node", "<entry>.js"] (one of ${built.join(', ')})`];
  if (!built.includes(file)) return [`${where}: runs ${file}, which services/${config.service}/webpack.config.js does not build (it builds ${built.join(', ')})`];
  if (file !== config.file) return [`${where}: runs ${file}, but ${config.name} is the ${config.entry} entry point (${config.file})`];
  return [];
}

/**
 * Problems of one container environment against the process's schema, exactly as the process judges it at start
 * (loadConfig: the schema plus the "no demo mode in production" rule), plus variables the schema does not know
 * (a typo like KAFKA_BROKER would otherwise be ignored silently while the default applies).
 */
export function envProblems(where: string, config: ServiceConfig, env: Record<string, string>): string[] {
  const problems: string[] = [];
  try {
    loadConfig(config.schema, env);
  } catch (error) {
    const message = error instanceof ConfigurationError ? error.message.replace(/^Invalid configuration:\n/, '') : String(error);
    for (const line of message.split('\n').filter(Boolean)) problems.push(`${where}: ${config.name} would refuse to start: ${line.trim()}`);
  }
  for (const key of Object.keys(env)) {
    if (!config.keys.has(key) && !RUNTIME_ENV.has(key)) {
      problems.push(`${where}: ${key} is not a variable of ${config.name}'s configuration (services/${config.service}/${CONFIG_FILE}, ${config.exportName})`);
    }
  }
  return problems;
}
