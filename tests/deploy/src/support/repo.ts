import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (tests/deploy/src/support -> ../../../..). */
export const REPO_ROOT = resolve(__dirname, '../../../..');

export const repoPath = (...parts: string[]): string => join(REPO_ROOT, ...parts);

export const exists = (relative: string): boolean => existsSync(repoPath(relative));

export const readText = (relative: string): string => readFileSync(repoPath(relative), 'utf8');

export function readJson<T = unknown>(relative: string): T {
  return JSON.parse(readText(relative)) as T;
}

/** Every folder of services/: each one is a deployable service (the folder name is its Nx project name). */
export function serviceNames(root = REPO_ROOT): string[] {
  const dir = join(root, 'services');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && statSync(join(dir, name)).isDirectory())
    .sort();
}

/** The portal is deployed only once its Nx project exists (frontend/portal, being built alongside these files). */
export const PORTAL_PROJECT_DIR = 'frontend/portal';

export const portalExists = (): boolean => exists(join(PORTAL_PROJECT_DIR, 'project.json'));

export type Dict = Record<string, unknown>;

export const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);

export const asDict = (value: unknown): Dict => (isDict(value) ? value : {});

export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Deep copy of plain YAML/JSON data, for the negative tests that break a copy on purpose. */
export const clone = <T>(value: T): T => structuredClone(value);

/**
 * An image reference names a tag (or digest) that is not `latest`. Returns the problem, or undefined.
 * `registry:5000/name` has a port, not a tag.
 */
export function imageTagProblem(image: string): string | undefined {
  if (image.includes('@sha256:')) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return `image "${image}" has no tag (means :latest)`;
  const tag = lastSegment.slice(colon + 1);
  if (tag === '' || tag === 'latest') return `image "${image}" uses the "latest" tag`;
  return undefined;
}

/** host:port of a URL-ish value (http://gateway:3000/x, mysql://u:p@mysql:3306/db, redis://redis:6379, kafka:19092). */
export function hostPort(value: string): { host: string; port: number | undefined } | undefined {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `tcp://${value}`;
  try {
    const url = new URL(withScheme);
    const defaults: Record<string, number> = { 'http:': 80, 'https:': 443, 'redis:': 6379, 'rediss:': 6379, 'mysql:': 3306, 'mariadb:': 3306 };
    return { host: url.hostname, port: url.port ? Number(url.port) : defaults[url.protocol] };
  } catch {
    return undefined;
  }
}
