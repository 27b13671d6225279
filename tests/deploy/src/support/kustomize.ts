import { loadAll } from 'js-yaml';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { asArray, asDict, clone, Dict, isDict, REPO_ROOT } from './repo';

/**
 * A small, strict kustomize: enough to render k8s/ without a kustomize binary (CI has none for sure), and to
 * fail loudly on any kustomization field it does not implement rather than render something different from
 * `kubectl kustomize`. When kubectl is on PATH, k8s.spec.ts compares the two renderings.
 *
 * Implemented: resources (files, folders with a kustomization.yaml), namespace, configMapGenerator (literals;
 * behavior create/merge/replace; no hash suffix), replicas, images, patches (strategic merge from a file,
 * including `$patch: delete`).
 */
export interface Resource extends Dict {
  apiVersion: string;
  kind: string;
  metadata: Dict & { name: string; namespace?: string };
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'configMapGenerator', 'replicas', 'images', 'patches']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'PriorityClass', 'StorageClass', 'IngressClass', 'ClusterSecretStore']);

export class KustomizeError extends Error {}

export const resourceId = (r: { kind: string; metadata: { name: string } }): string => `${r.kind}/${r.metadata.name}`;

/** Every file a kustomization (and the ones it includes) refers to that does not exist. */
export function missingFiles(dir: string): string[] {
  const missing: string[] = [];
  const visit = (folder: string) => {
    const file = join(folder, 'kustomization.yaml');
    if (!existsSync(file)) return missing.push(relative(REPO_ROOT, file));
    const k = asDict(loadAll(readFileSync(file, 'utf8'))[0]);
    const refs = [...asArray(k['resources']).map(String), ...asArray(k['patches']).map((p) => String(asDict(p)['path'] ?? ''))].filter(Boolean);
    for (const ref of refs) {
      const target = join(folder, ref);
      if (!existsSync(target)) missing.push(`${relative(REPO_ROOT, file)} -> ${ref}`);
      else if (statSync(target).isDirectory()) visit(target);
    }
    return undefined;
  };
  visit(dir);
  return missing;
}

function readResources(file: string): Resource[] {
  return loadAll(readFileSync(file, 'utf8'))
    .filter((doc) => doc !== null && doc !== undefined)
    .map((doc) => {
      const r = doc as Resource;
      if (!r.kind || !isDict(r.metadata) || !r.metadata.name) throw new KustomizeError(`${relative(REPO_ROOT, file)}: a document without kind or metadata.name`);
      return r;
    });
}

function literalsToData(literals: unknown[], where: string): Record<string, string> {
  return Object.fromEntries(
    literals.map((l) => {
      const text = String(l);
      const eq = text.indexOf('=');
      if (eq <= 0) throw new KustomizeError(`${where}: literal "${text}" is not KEY=value`);
      return [text.slice(0, eq), text.slice(eq + 1)];
    }),
  );
}

/** Strategic merge for the shapes used here: maps merge, lists of named items merge by name, other lists are replaced. */
export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (isDict(base) && isDict(patch)) {
    const out: Dict = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (key === '$patch') continue;
      if (value === null) delete out[key];
      else out[key] = key in base ? strategicMerge(base[key], value) : clone(value);
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch)) {
    const named = (items: unknown[]) => items.length > 0 && items.every((i) => isDict(i) && typeof i['name'] === 'string');
    if (!named(base) || !named(patch)) return clone(patch);
    const out = base.map((item) => clone(item) as Dict);
    for (const item of patch as Dict[]) {
      const index = out.findIndex((b) => b['name'] === item['name']);
      if (item['$patch'] === 'delete') {
        if (index >= 0) out.splice(index, 1);
      } else if (index >= 0) out[index] = strategicMerge(out[index], item) as Dict;
      else out.push(clone(item));
    }
    return out;
  }
  return clone(patch);
}

function podSpecs(r: Resource): Dict[] {
  const spec = asDict(r['spec']);
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(r.kind)) return [asDict(asDict(spec['template'])['spec'])];
  if (r.kind === 'CronJob') return [asDict(asDict(asDict(asDict(spec['jobTemplate'])['spec'])['template'])['spec'])];
  return [];
}

export function containersOf(r: Resource): Dict[] {
  return podSpecs(r).flatMap((spec) => [...asArray(spec['initContainers']), ...asArray(spec['containers'])].map(asDict));
}

/** Renders the kustomization in `dir` (absolute, or relative to the repository root). */
export function renderKustomization(dir: string): Resource[] {
  const folder = dir.startsWith('/') ? dir : join(REPO_ROOT, dir);
  const file = join(folder, 'kustomization.yaml');
  const where = relative(REPO_ROOT, file);
  if (!existsSync(file)) throw new KustomizeError(`${where} does not exist`);
  const k = asDict(loadAll(readFileSync(file, 'utf8'))[0]);
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length) throw new KustomizeError(`${where}: ${unsupported.join(', ')} not implemented by tests/deploy/src/support/kustomize.ts; extend it`);

  let resources: Resource[] = [];
  for (const ref of asArray(k['resources']).map(String)) {
    const target = join(folder, ref);
    if (!existsSync(target)) throw new KustomizeError(`${where}: resource ${ref} does not exist`);
    resources.push(...(statSync(target).isDirectory() ? renderKustomization(target) : readResources(target)));
  }

  for (const generator of asArray(k['configMapGenerator']).map(asDict)) {
    const name = String(generator['name']);
    const extra = Object.keys(generator).filter((key) => !['name', 'literals', 'behavior'].includes(key));
    if (extra.length) throw new KustomizeError(`${where}: configMapGenerator ${name}: ${extra.join(', ')} not implemented`);
    const data = literalsToData(asArray(generator['literals']), `${where} configMapGenerator ${name}`);
    const behavior = String(generator['behavior'] ?? 'create');
    const existing = resources.find((r) => r.kind === 'ConfigMap' && r.metadata.name === name);
    if (behavior === 'create') {
      if (existing) throw new KustomizeError(`${where}: configMapGenerator ${name} already exists (use behavior: merge)`);
      resources.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
    } else {
      if (!existing) throw new KustomizeError(`${where}: configMapGenerator ${name} (behavior ${behavior}) has no ConfigMap to ${behavior}`);
      existing['data'] = behavior === 'merge' ? { ...asDict(existing['data']), ...data } : data;
    }
  }

  for (const entry of asArray(k['patches']).map(asDict)) {
    if (!entry['path'] || entry['target'] || entry['patch']) throw new KustomizeError(`${where}: only patches with a path (strategic merge, target from the patch) are implemented`);
    for (const patch of readResources(join(folder, String(entry['path'])))) {
      const index = resources.findIndex((r) => r.kind === patch.kind && r.metadata.name === patch.metadata.name);
      if (index < 0) throw new KustomizeError(`${where}: patch ${entry['path']} targets ${resourceId(patch)}, which does not exist`);
      if (patch['$patch'] === 'delete') resources.splice(index, 1);
      else resources[index] = strategicMerge(resources[index], patch) as Resource;
    }
  }

  for (const entry of asArray(k['replicas']).map(asDict)) {
    const target = resources.find((r) => ['Deployment', 'StatefulSet'].includes(r.kind) && r.metadata.name === entry['name']);
    if (!target) throw new KustomizeError(`${where}: replicas for ${entry['name']}, which is no Deployment here`);
    target['spec'] = { ...asDict(target['spec']), replicas: Number(entry['count']) };
  }

  const images = asArray(k['images']).map(asDict);
  for (const image of images) {
    let used = false;
    for (const container of resources.flatMap(containersOf)) {
      const current = String(container['image'] ?? '');
      const slash = current.lastIndexOf('/');
      const colon = current.lastIndexOf(':');
      const name = colon > slash ? current.slice(0, colon) : current;
      const tag = colon > slash ? current.slice(colon + 1) : undefined;
      if (name !== image['name']) continue;
      used = true;
      const newName = String(image['newName'] ?? name);
      const newTag = image['digest'] ? `@${image['digest']}` : image['newTag'] !== undefined ? `:${image['newTag']}` : tag !== undefined ? `:${tag}` : '';
      container['image'] = `${newName}${newTag}`;
    }
    if (!used) throw new KustomizeError(`${where}: images entry ${image['name']} matches no container`);
  }

  if (typeof k['namespace'] === 'string') {
    resources = resources.map((r) => (CLUSTER_SCOPED.has(r.kind) ? r : { ...r, metadata: { ...r.metadata, namespace: k['namespace'] as string } }));
  }
  return resources;
}

export const kustomizationDir = (overlay: string): string => join(REPO_ROOT, 'k8s', overlay);

export const relativeToRepo = (path: string): string => relative(REPO_ROOT, path);
