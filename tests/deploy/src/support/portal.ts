import { builtinModules } from 'node:module';
import { exists, readText } from './repo';

export const SERVE_MJS = 'frontend/portal/serve.mjs';
export const PORTAL_PORT = 4200;

/** Variables serve.mjs reads (process.env.NAME or process.env['NAME']). */
export function serveEnvVars(text: string): Set<string> {
  return new Set([...text.matchAll(/process\.env(?:\.([A-Z_][A-Z0-9_]*)|\[\s*['"]([A-Z_][A-Z0-9_]*)['"]\s*\])/g)].map((m) => m[1] ?? m[2]));
}

/** Module specifiers serve.mjs imports (static and dynamic). */
export function serveImports(text: string): string[] {
  return [
    ...[...text.matchAll(/^\s*import\s+(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)].map((m) => m[1]),
    ...[...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]),
    ...[...text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]),
  ];
}

const isBuiltin = (specifier: string) => specifier.startsWith('node:') || builtinModules.includes(specifier);

/** The npm packages serve.mjs imports ('@fastify/static/x' -> '@fastify/static'), sorted, without Node built-ins. */
export function servePackages(text: string): string[] {
  const packages = serveImports(text)
    .filter((s) => !isBuiltin(s) && !s.startsWith('.') && !s.startsWith('/'))
    .map((s) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/'));
  return [...new Set(packages)].sort();
}

/** Each package serve.mjs imports is a runtime dependency of the workspace (the image installs it from there). */
export function checkServeDependencies(text: string, packageJson: Record<string, unknown>): string[] {
  const dependencies = (packageJson['dependencies'] ?? {}) as Record<string, string>;
  return servePackages(text)
    .filter((name) => !dependencies[name])
    .map((name) => `${SERVE_MJS} imports "${name}", which is not in package.json dependencies (the portal image installs it from there)`);
}

export const readServeMjs = (): string => (exists(SERVE_MJS) ? readText(SERVE_MJS) : '');

/** A portal container's environment against what serve.mjs reads. */
export function portalEnvProblems(where: string, env: Record<string, string>, serveText: string): string[] {
  const problems: string[] = [];
  const known = serveEnvVars(serveText);
  for (const key of Object.keys(env)) {
    if (!known.has(key) && key !== 'NODE_ENV' && key !== 'NODE_OPTIONS') problems.push(`${where}: ${key} is not read by ${SERVE_MJS}`);
  }
  if (env['PORTAL_HOST'] !== '0.0.0.0') problems.push(`${where}: PORTAL_HOST must be 0.0.0.0 in a container (is ${env['PORTAL_HOST'] ?? 'unset'}; serve.mjs defaults to 127.0.0.1)`);
  if (Number(env['PORTAL_PORT']) !== PORTAL_PORT) problems.push(`${where}: PORTAL_PORT must be ${PORTAL_PORT} (is ${env['PORTAL_PORT'] ?? 'unset'})`);
  if (!env['GATEWAY_URL']) problems.push(`${where}: GATEWAY_URL is not set (serve.mjs would proxy /api to 127.0.0.1:3000, i.e. itself)`);
  return problems;
}
