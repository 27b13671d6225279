import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MYSQL_INIT_DIR } from './support/compose';
import { loadProvisionParser, ParseProvisionRequest } from './support/kafka-topics';
import { readServeMjs } from './support/portal';
import { portalExists, readText, repoPath, serviceNames } from './support/repo';
import { loadAllServiceConfigs, ServiceConfig } from './support/service-config';

/** What the checks compare the deployment files with: the services' own code, read once per test file. */
export interface RepoFacts {
  serviceNames: string[];
  services: Map<string, ServiceConfig>;
  portal: boolean;
  dockerignore: string;
  mysqlInitSql: string;
  serveMjs: string;
  /** Services whose migrations (services/<name>/src/migrations) create triggers. */
  triggerServices: string[];
  /** tools/kafka-provision's parser of its command line and environment. */
  parseProvisionRequest: ParseProvisionRequest;
}

/** Services whose migrations contain CREATE TRIGGER: MySQL with binary logging needs a server setting for them. */
export function servicesWithTriggers(names: string[]): string[] {
  return names.filter((name) => {
    const dir = repoPath('services', name, 'src/migrations');
    if (!existsSync(dir)) return false;
    return readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .some((f) => /CREATE\s+(DEFINER\s*=\s*\S+\s+)?TRIGGER\b/i.test(readText(join('services', name, 'src/migrations', f))));
  });
}

export async function loadRepoFacts(): Promise<RepoFacts> {
  const initDir = repoPath(MYSQL_INIT_DIR);
  return {
    serviceNames: serviceNames(),
    triggerServices: servicesWithTriggers(serviceNames()),
    services: await loadAllServiceConfigs(),
    portal: portalExists(),
    serveMjs: readServeMjs(),
    parseProvisionRequest: await loadProvisionParser(),
    dockerignore: readText('.dockerignore'),
    mysqlInitSql: readdirSync(initDir)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => readText(join(MYSQL_INIT_DIR, f)))
      .join('\n'),
  };
}
