import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { loadAll } from 'js-yaml';
import { asArray, asDict, Dict, REPO_ROOT, repoPath } from './repo';

/** One object of a rendered kustomization. */
export interface Resource extends Dict {
  apiVersion: string;
  kind: string;
  metadata: Dict & { name: string; namespace?: string };
}

/** The kustomize binary: infra/local/install-deploy-tools.sh (run by `make test`) puts the pinned version here. */
export const KUSTOMIZE = process.env['KUSTOMIZE'] || repoPath('.local/tools/bin/kustomize');

export class KustomizeError extends Error {}

export const resourceId = (r: { kind: string; metadata: { name: string } }): string => `${r.kind}/${r.metadata.name}`;

/** `kustomize build <dir>` (absolute, or relative to the repository root), parsed. */
export function kustomizeBuild(dir: string): Resource[] {
  if (!existsSync(KUSTOMIZE)) throw new KustomizeError(`${KUSTOMIZE} is missing: run infra/local/install-deploy-tools.sh (make test does)`);
  let output: string;
  try {
    output = execFileSync(KUSTOMIZE, ['build', isAbsolute(dir) ? dir : join(REPO_ROOT, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new KustomizeError(`kustomize build ${dir} failed: ${stderr || (error as Error).message}`);
  }
  return (loadAll(output) as Resource[]).filter(Boolean);
}

const VALIDATOR = join(__dirname, 'validate-k8s.mjs');

/** Every object against the Kubernetes API schemas (kubernetes-models, offline): "<kind>/<name>: <what>" each. */
export function schemaProblems(resources: Resource[]): string[] {
  const output = execFileSync(process.execPath, [VALIDATOR], { input: JSON.stringify(resources), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  return JSON.parse(output) as string[];
}

/**
 * A ConfigMap from a configMapGenerator by the name the kustomization gives it: kustomize appends a hash of the
 * data (relationship-common-9hm7ff96k8) and rewrites every reference to it.
 */
export const generatedConfigMap = (resources: Resource[], name: string): Resource | undefined =>
  resources.find((r) => r.kind === 'ConfigMap' && (r.metadata.name === name || new RegExp(`^${name}-[a-z0-9]{10}$`).test(r.metadata.name)));

function podSpecs(r: Resource): Dict[] {
  const spec = asDict(r['spec']);
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(r.kind)) return [asDict(asDict(spec['template'])['spec'])];
  if (r.kind === 'CronJob') return [asDict(asDict(asDict(asDict(spec['jobTemplate'])['spec'])['template'])['spec'])];
  return [];
}

export function containersOf(r: Resource): Dict[] {
  return podSpecs(r).flatMap((spec) => [...asArray(spec['initContainers']), ...asArray(spec['containers'])].map(asDict));
}
