import type { OpenAPIObject } from '@nestjs/swagger';
import { mergeDocuments, OpenApiAggregator, type FetchLike } from './openapi';
import type { Upstream } from './upstreams';

const own: OpenAPIObject = {
  openapi: '3.0.0',
  info: {
    title: 'Relationship API',
    version: '1',
    description: 'The portal API.',
  },
  paths: {},
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    },
  },
};

const identity: Upstream = {
  name: 'identity',
  url: 'http://identity',
  prefixes: ['/api/auth', '/api/users', '/api/audit'],
};
const profiles: Upstream = {
  name: 'profiles',
  url: 'http://profiles',
  prefixes: ['/api/profiles'],
};

function doc(
  paths: Record<string, unknown>,
  schemas: Record<string, unknown> = {},
): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 'x', version: '1' },
    paths: paths as OpenAPIObject['paths'],
    components: { schemas: schemas as never },
  };
}

const ok = (document: OpenAPIObject) => ({ ok: true as const, document });

describe('mergeDocuments', () => {
  it('keeps the gateway’s own security scheme and operational paths', () => {
    const merged = mergeDocuments(own, []);
    expect(merged.components?.securitySchemes?.['bearer']).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(Object.keys(merged.paths)).toEqual([
      '/health/live',
      '/health/ready',
      '/metrics',
    ]);
    expect(merged.info.description).toBe(
      'The portal API.\n\nServices included: none.',
    );
  });

  it('takes only the paths routed to each upstream', () => {
    const merged = mergeDocuments(own, [
      [
        identity,
        ok(
          doc({
            '/api/auth/login': { post: { responses: {} } },
            '/api/users/{id}': { get: { responses: {} } },
            '/api/profiles': { get: { responses: {} } },
          }),
        ),
      ],
      [
        profiles,
        ok(
          doc({
            '/api/profiles': { get: { responses: {} } },
            '/api/usersx': { get: { responses: {} } },
          }),
        ),
      ],
    ]);
    expect(
      Object.keys(merged.paths).filter((p) => p.startsWith('/api')),
    ).toEqual(['/api/auth/login', '/api/users/{id}', '/api/profiles']);
  });

  it('reuses an identical schema and renames a clashing one, rewriting nested references', () => {
    const page = { type: 'object', properties: { total: { type: 'number' } } };
    const merged = mergeDocuments(own, [
      [
        identity,
        ok(
          doc(
            { '/api/users': { get: { responses: {} } } },
            {
              Page: page,
              Item: { type: 'object', properties: { id: { type: 'string' } } },
            },
          ),
        ),
      ],
      [
        profiles,
        ok(
          doc(
            {
              '/api/profiles': {
                get: {
                  responses: {
                    '200': {
                      description: 'x',
                      content: {
                        'application/json': {
                          schema: { $ref: '#/components/schemas/Page' },
                        },
                      },
                    },
                  },
                },
              },
            },
            {
              Page: page,
              Item: {
                type: 'object',
                properties: { name: { type: 'string' } },
              },
              List: {
                type: 'array',
                items: { $ref: '#/components/schemas/Item' },
              },
            },
          ),
        ),
      ],
    ]);
    const schemas = merged.components?.schemas ?? {};
    expect(Object.keys(schemas).sort()).toEqual([
      'Item',
      'List',
      'Page',
      'profiles_Item',
    ]);
    expect(schemas['List']).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/profiles_Item' },
    });
    expect(JSON.stringify(merged.paths['/api/profiles'])).toContain(
      '#/components/schemas/Page',
    );
  });

  it('names the upstreams left out and why', () => {
    const merged = mergeDocuments(own, [
      [identity, { ok: false, reason: 'HTTP 503' }],
      [profiles, ok(doc({}))],
    ]);
    expect(merged.info.description).toContain('Services included: profiles.');
    expect(merged.info.description).toContain(
      'Left out, their documentation could not be fetched: identity (HTTP 503).',
    );
  });

  it('does not modify the documents it merges', () => {
    const upstreamDoc = doc(
      { '/api/auth/login': { post: { operationId: 'x', responses: {} } } },
      { A: { type: 'string' } },
    );
    const before = JSON.stringify(upstreamDoc);
    const ownBefore = JSON.stringify(own);
    mergeDocuments(own, [
      [identity, ok(upstreamDoc)],
      [profiles, ok(doc({}, { A: { type: 'number' } }))],
    ]);
    expect(JSON.stringify(upstreamDoc)).toBe(before);
    expect(JSON.stringify(own)).toBe(ownBefore);
  });
});

describe('OpenApiAggregator', () => {
  function fakeFetch(answers: Record<string, () => Promise<OpenAPIObject>>) {
    const calls: string[] = [];
    const impl: FetchLike = async (url) => {
      calls.push(url);
      const answer = answers[url];
      if (!answer) return { ok: false, status: 404, json: async () => ({}) };
      const document = await answer();
      return { ok: true, status: 200, json: async () => document };
    };
    return { impl, calls };
  }

  it('fetches each upstream’s /api/docs-json once per 30 s', async () => {
    let now = 1_000_000;
    const { impl, calls } = fakeFetch({
      'http://identity/api/docs-json': async () =>
        doc({ '/api/auth/login': { post: { responses: {} } } }),
    });
    const aggregator = new OpenApiAggregator([identity], impl, () => now);

    await aggregator.merged(own);
    await aggregator.merged(own);
    now += 29_000;
    const cached = await aggregator.merged(own);
    expect(calls).toHaveLength(1);
    expect(cached.paths['/api/auth/login']).toBeDefined();

    now += 2_000;
    await aggregator.merged(own);
    expect(calls).toHaveLength(2);
  });

  it('leaves out an upstream that fails and tries it again after 5 s', async () => {
    let now = 1_000_000;
    const { impl, calls } = fakeFetch({
      'http://profiles/api/docs-json': () =>
        Promise.reject(
          Object.assign(new Error('The operation was aborted due to timeout'), {
            name: 'TimeoutError',
          }),
        ),
    });
    const aggregator = new OpenApiAggregator([profiles], impl, () => now);

    const first = await aggregator.merged(own);
    expect(first.info.description).toContain(
      'profiles (no answer within 2000 ms)',
    );
    now += 4_000;
    await aggregator.merged(own);
    expect(calls).toHaveLength(1);
    now += 2_000;
    await aggregator.merged(own);
    expect(calls).toHaveLength(2);
  });

  it('refuses an answer that is not an OpenAPI document', async () => {
    const { impl } = fakeFetch({
      'http://identity/api/docs-json': async () =>
        ({ hello: 'world' }) as unknown as OpenAPIObject,
    });
    const merged = await new OpenApiAggregator([identity], impl).merged(own);
    expect(merged.info.description).toContain(
      'identity (not an OpenAPI document)',
    );
  });
});
