import { ConfigurationError, loadConfig } from '@relationship/service-kit';
import { z } from 'zod';
import { repoPath, serviceNames } from './repo';

/** What the deployment files must satisfy for one service: its environment schema, straight from its code. */
export interface ServiceConfig {
  name: string;
  /** The exported zod object in services/<name>/src/app/config.ts that the service validates its env with. */
  schema: z.ZodObject;
  exportName: string;
  /** Every variable the schema knows. */
  keys: Set<string>;
  /** The schema's default PORT: the port the platform assigns to this service (3000 gateway, 3001 identity...). */
  defaultPort: number | undefined;
}

export const CONFIG_FILE = 'src/app/config.ts';

/** Variables a container may carry that no service schema declares (read by Node itself). */
export const RUNTIME_ENV = new Set(['NODE_OPTIONS', 'TZ']);

/**
 * Imports services/<name>/src/app/config.ts and picks its environment schema: the one exported zod object with
 * both NODE_ENV and PORT. The import is dynamic and by path on purpose: these tests exist to check the coupling
 * between the deployment files and every service's code, and a new folder in services/ is picked up (and must
 * then be deployed) without editing this file.
 */
export async function loadServiceConfig(name: string): Promise<ServiceConfig> {
  const file = repoPath('services', name, CONFIG_FILE);
  let module: Record<string, unknown>;
  try {
    module = (await import(file)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`services/${name}/${CONFIG_FILE} could not be imported: ${(error as Error).message}`);
  }
  const candidates = Object.entries(module).filter(
    (entry): entry is [string, z.ZodObject] => entry[1] instanceof z.ZodObject && 'PORT' in entry[1].shape && 'NODE_ENV' in entry[1].shape,
  );
  if (candidates.length !== 1) {
    throw new Error(
      `services/${name}/${CONFIG_FILE} must export exactly one zod object schema of the service's environment (with NODE_ENV and PORT); found ${candidates.length}: ${candidates.map(([n]) => n).join(', ') || 'none'}`,
    );
  }
  const [exportName, schema] = candidates[0];
  const port = (schema.shape['PORT'] as z.ZodType).safeParse(undefined);
  return {
    name,
    schema,
    exportName,
    keys: new Set(Object.keys(schema.shape)),
    defaultPort: port.success && typeof port.data === 'number' ? port.data : undefined,
  };
}

export async function loadAllServiceConfigs(): Promise<Map<string, ServiceConfig>> {
  const configs = new Map<string, ServiceConfig>();
  for (const name of serviceNames()) configs.set(name, await loadServiceConfig(name));
  return configs;
}

/**
 * Problems of one container environment against the service's schema, exactly as the service judges it at start
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
      problems.push(`${where}: ${key} is not a variable of ${config.name}'s configuration (services/${config.name}/${CONFIG_FILE}, ${config.exportName})`);
    }
  }
  return problems;
}
