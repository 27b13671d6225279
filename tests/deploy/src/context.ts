import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MYSQL_INIT_DIR } from './support/compose';
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
}

export async function loadRepoFacts(): Promise<RepoFacts> {
  const initDir = repoPath(MYSQL_INIT_DIR);
  return {
    serviceNames: serviceNames(),
    services: await loadAllServiceConfigs(),
    portal: portalExists(),
    serveMjs: readServeMjs(),
    dockerignore: readText('.dockerignore'),
    mysqlInitSql: readdirSync(initDir)
      .filter((f) => f.endsWith('.sql'))
      .sort()
      .map((f) => readText(join(MYSQL_INIT_DIR, f)))
      .join('\n'),
  };
}
