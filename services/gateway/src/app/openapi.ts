import { Logger } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { servesPath, type Upstream } from './upstreams';

const FETCH_TIMEOUT_MS = 2_000;
const CACHE_MS = 30_000;
/** A failed fetch is retried sooner than a good document is refreshed, so a service that just started shows up. */
const FAILURE_CACHE_MS = 5_000;
const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

type Json = Record<string, unknown>;
type Fetched =
  | { ok: true; document: OpenAPIObject }
  | { ok: false; reason: string };

/** The gateway's own operational endpoints (their controllers are left out of the scanned document). */
const OWN_PATHS: OpenAPIObject['paths'] = {
  '/health/live': {
    get: {
      tags: ['gateway'],
      summary: 'Liveness: the process answers',
      operationId: 'gateway_live',
      responses: { '200': { description: 'alive' } },
    },
  },
  '/health/ready': {
    get: {
      tags: ['gateway'],
      summary: 'Readiness: Redis (shared rate-limit counters) is reachable',
      operationId: 'gateway_ready',
      responses: {
        '200': { description: 'ready' },
        '503': { description: 'not ready, names the failing dependency' },
      },
    },
  },
  '/metrics': {
    get: {
      tags: ['gateway'],
      summary: 'Prometheus metrics',
      operationId: 'gateway_metrics',
      responses: { '200': { description: 'text exposition format' } },
    },
  },
};

export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/**
 * The document at /api/docs(-json): the gateway's own plus every configured upstream's /api/docs-json, each
 * fetched with a short timeout and cached. An upstream that cannot be fetched is left out and named in the
 * description; the document is always served.
 */
export class OpenApiAggregator {
  private readonly cache = new Map<
    string,
    { at: number; result: Promise<Fetched> }
  >();
  private readonly logger = new Logger('OpenApi');

  constructor(
    private readonly upstreams: readonly Upstream[],
    private readonly fetchImpl: FetchLike = fetch as unknown as FetchLike,
    private readonly now: () => number = Date.now,
  ) {}

  async merged(own: OpenAPIObject): Promise<OpenAPIObject> {
    const fetched = await Promise.all(
      this.upstreams.map(async (u) => [u, await this.fetchCached(u)] as const),
    );
    return mergeDocuments(own, fetched);
  }

  private fetchCached(upstream: Upstream): Promise<Fetched> {
    const hit = this.cache.get(upstream.name);
    const now = this.now();
    if (hit && now - hit.at < CACHE_MS) return hit.result;
    const result = this.fetchDocument(upstream).then((r) => {
      // keep failures only briefly
      if (!r.ok)
        this.cache.set(upstream.name, {
          at: this.now() - (CACHE_MS - FAILURE_CACHE_MS),
          result: Promise.resolve(r),
        });
      return r;
    });
    this.cache.set(upstream.name, { at: now, result });
    return result;
  }

  private async fetchDocument(upstream: Upstream): Promise<Fetched> {
    try {
      const response = await this.fetchImpl(`${upstream.url}/api/docs-json`, {
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
        headers: { accept: 'application/json' },
      });
      if (!response.ok) return { ok: false, reason: `HTTP ${response.status}` };
      const document = (await response.json()) as OpenAPIObject;
      if (
        !document ||
        typeof document !== 'object' ||
        typeof document.paths !== 'object'
      )
        return { ok: false, reason: 'not an OpenAPI document' };
      return { ok: true, document };
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${FETCH_TIMEOUT_MS} ms`
          : (error as Error).message;
      this.logger.warn(
        `OpenAPI document of ${upstream.name} left out: ${reason}`,
      );
      return { ok: false, reason };
    }
  }
}

/**
 * Merges upstream documents into the gateway's. Only paths the gateway routes to that upstream are taken.
 * A component whose name is taken by a different definition is renamed `<service>_<name>` and the upstream's
 * references are rewritten; a clashing operationId gets the same prefix.
 */
export function mergeDocuments(
  own: OpenAPIObject,
  fetched: ReadonlyArray<readonly [Upstream, Fetched]>,
): OpenAPIObject {
  const merged = structuredClone(own) as OpenAPIObject & {
    components: Json;
    tags?: Array<{ name: string }>;
  };
  merged.paths = { ...merged.paths, ...structuredClone(OWN_PATHS) };
  merged.components ??= {};
  merged.tags = [...(merged.tags ?? [])];
  const tagNames = new Set(merged.tags.map((t) => t.name));
  if (!tagNames.has('gateway')) {
    merged.tags.push({
      name: 'gateway',
      description: 'The gateway itself',
    } as never);
    tagNames.add('gateway');
  }
  const operationIds = new Set<string>();
  forEachOperation(
    merged.paths,
    (op) =>
      typeof op['operationId'] === 'string' &&
      operationIds.add(op['operationId']),
  );

  const included: string[] = [];
  const missing: string[] = [];
  for (const [upstream, result] of fetched) {
    if (!result.ok) {
      missing.push(`${upstream.name} (${result.reason})`);
      continue;
    }
    included.push(upstream.name);
    const doc = structuredClone(result.document) as OpenAPIObject & {
      components?: Json;
    };

    // components: reuse identical definitions, rename clashing ones
    const renames = new Map<string, string>();
    for (const [kind, entries] of Object.entries(doc.components ?? {})) {
      if (!entries || typeof entries !== 'object') continue;
      const target = ((merged.components[kind] as Json | undefined) ??=
        {}) as Json;
      for (const [name, definition] of Object.entries(entries as Json)) {
        if (!(name in target)) continue;
        if (kind === 'securitySchemes' || sameJson(target[name], definition))
          continue;
        renames.set(
          `#/components/${kind}/${name}`,
          `#/components/${kind}/${upstream.name}_${name}`,
        );
      }
    }
    if (renames.size > 0) rewriteRefs(doc, renames);
    for (const [kind, entries] of Object.entries(doc.components ?? {})) {
      if (!entries || typeof entries !== 'object') continue;
      const target = merged.components[kind] as Json;
      for (const [name, definition] of Object.entries(entries as Json)) {
        const finalName = renames.has(`#/components/${kind}/${name}`)
          ? `${upstream.name}_${name}`
          : name;
        if (!(finalName in target)) target[finalName] = definition;
      }
    }

    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (!servesPath(upstream, path) || path in merged.paths) continue;
      forEachOperation({ [path]: item }, (op) => {
        const id = op['operationId'];
        if (typeof id !== 'string') return;
        if (operationIds.has(id)) op['operationId'] = `${upstream.name}_${id}`;
        operationIds.add(op['operationId'] as string);
      });
      merged.paths[path] = item;
    }
    for (const tag of (doc as { tags?: Array<{ name: string }> }).tags ?? []) {
      if (!tagNames.has(tag.name)) {
        tagNames.add(tag.name);
        merged.tags.push(tag);
      }
    }
  }

  const notes = [
    `Services included: ${included.length ? included.join(', ') : 'none'}.`,
  ];
  if (missing.length)
    notes.push(
      `Left out, their documentation could not be fetched: ${missing.join('; ')}.`,
    );
  merged.info = {
    ...merged.info,
    description:
      `${merged.info?.description ?? ''}\n\n${notes.join(' ')}`.trim(),
  };
  return merged;
}

function forEachOperation(
  paths: OpenAPIObject['paths'],
  visit: (operation: Json) => void,
): void {
  for (const item of Object.values(paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const op = (item as Json)[method];
      if (op && typeof op === 'object') visit(op as Json);
    }
  }
}

function rewriteRefs(
  node: unknown,
  renames: ReadonlyMap<string, string>,
): void {
  if (Array.isArray(node)) {
    for (const child of node) rewriteRefs(child, renames);
  } else if (node && typeof node === 'object') {
    const obj = node as Json;
    for (const [key, value] of Object.entries(obj)) {
      if (key === '$ref' && typeof value === 'string' && renames.has(value))
        obj[key] = renames.get(value);
      else rewriteRefs(value, renames);
    }
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
