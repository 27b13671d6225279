import { loadRepoFacts, RepoFacts } from './context';
import {
  checkDockerignore,
  checkPortalDockerfile,
  checkServiceDockerfile,
  ignored,
  lintDockerfile,
  parseDockerfile,
  webpackOutputDir,
} from './support/dockerfile';
import { checkServeDependencies, serveEnvVars, servePackages, SERVE_MJS } from './support/portal';
import { PROVISIONER } from './support/kafka-topics';
import { readJson, readText } from './support/repo';

const SERVICE_FILE = 'docker/service.Dockerfile';
const PORTAL_FILE = 'docker/portal.Dockerfile';

describe('Dockerfiles and .dockerignore', () => {
  let facts: RepoFacts;
  let service: string;
  let portal: string;

  beforeAll(async () => {
    facts = await loadRepoFacts();
    service = readText(SERVICE_FILE);
    portal = readText(PORTAL_FILE);
  });

  const serviceCtx = () => ({ serviceNames: facts.serviceNames, tools: [PROVISIONER], dockerignore: facts.dockerignore });
  const portalCtx = () => ({ dockerignore: facts.dockerignore, portal: facts.portal, serveMjs: facts.serveMjs });

  it('.dockerignore keeps out node_modules, dist, .local, .nx and coverage, and nothing the build needs', () => {
    expect(checkDockerignore(facts.dockerignore)).toEqual([]);
  });

  it(`${SERVICE_FILE} builds every folder of services/ and tools/${PROVISIONER} (ARG APP_ROOT + SERVICE -> nx project, webpack output, runtime layout)`, () => {
    expect(facts.serviceNames.map((s) => [s, webpackOutputDir(`services/${s}`)])).toEqual(facts.serviceNames.map((s) => [s, `dist/services/${s}`]));
    expect(webpackOutputDir(`tools/${PROVISIONER}`)).toBe(`dist/tools/${PROVISIONER}`);
    expect(checkServiceDockerfile(service, serviceCtx())).toEqual([]);
  });

  it(`${PORTAL_FILE} builds the portal and runs ${SERVE_MJS} as a non-root user`, () => {
    expect(checkPortalDockerfile(portal, portalCtx())).toEqual([]);
  });

  it(`every package ${SERVE_MJS} imports is a dependency in package.json and installed in the portal image's final stage`, () => {
    if (!facts.portal) return;
    expect(servePackages(facts.serveMjs)).toEqual(expect.arrayContaining(['fastify']));
    expect(checkServeDependencies(facts.serveMjs, readJson('package.json'))).toEqual([]);
    expect(checkPortalDockerfile(portal, portalCtx())).toEqual([]);
    expect([...serveEnvVars(facts.serveMjs)]).toEqual(expect.arrayContaining(['PORTAL_HOST', 'PORTAL_PORT', 'GATEWAY_URL', 'PORTAL_DIST']));
  });

  it('passes the Docker language server\'s linter (dockerfile-utils)', () => {
    expect(lintDockerfile(service)).toEqual([]);
    expect(lintDockerfile(portal)).toEqual([]);
    expect(lintDockerfile(service.replace('STOPSIGNAL SIGTERM', 'STOPSIGNAL SIGTERM\nCMD ["node", "x.js"]\nEXPOSE http'))).toEqual(
      expect.arrayContaining([expect.stringContaining('There can only be one CMD instruction'), expect.stringContaining('Invalid containerPort: http')]),
    );
  });

  it('reads stages with their flags and joined continuation lines (dockerfile-ast)', () => {
    const stages = parseDockerfile('# c\nFROM --platform=linux/amd64 a:1 AS one\nRUN x \\\n  && y\nFROM one\nCOPY --from=one --chown=1000 a b\nCMD ["z"]\n');
    expect(stages.map((s) => [s.image, s.name, s.instructions.map((i) => `${i.line} ${i.keyword} ${i.args}`)])).toEqual([
      ['a:1', 'one', ['3 RUN x && y']],
      ['one', undefined, ['6 COPY --from=one --chown=1000 a b', '7 CMD ["z"]']],
    ]);
  });

  it('reads .dockerignore like docker: globs, ** and ! exceptions', () => {
    const rules = 'node_modules\n**/node_modules\n*.log\n!keep.log\ndist/\n';
    expect(['node_modules', 'libs/x/node_modules', 'a.log', 'dist/services'].map((p) => ignored(rules, p))).toEqual([true, true, true, true]);
    expect(['keep.log', 'services', 'distant'].map((p) => ignored(rules, p))).toEqual([false, false, false]);
  });

  // Broken copies of the real files through the same checkers.
  const serviceCases: [string, (text: string) => string, string][] = [
    ['ARG SERVICE missing in the runtime stage', (t) => t.replace(/(FROM node:\S+ AS runtime\nARG APP_ROOT=services\n)ARG SERVICE\n/, '$1'), 'uses $SERVICE without "ARG SERVICE" in that stage'],
    ['a latest base image', (t) => t.replace('FROM node:24-bookworm-slim AS deps', 'FROM node:latest AS deps'), 'uses the "latest" tag'],
    ['an untagged base image', (t) => t.replace('FROM node:24-bookworm-slim AS build', 'FROM node AS build'), 'has no tag'],
    ['a Node major the workspace does not use', (t) => t.replace('FROM node:24-bookworm-slim AS runtime', 'FROM node:22-bookworm-slim AS runtime'), 'engines require Node 24'],
    ['running as root', (t) => t.replace(/^USER .*$/m, ''), 'sets no USER'],
    ['a named user', (t) => t.replace(/^USER .*$/m, 'USER node'), 'use a numeric uid'],
    ['no HEALTHCHECK', (t) => t.replace(/^HEALTHCHECK[^\n]*\\\n[^\n]*\n/m, ''), 'needs a HEALTHCHECK on /health/live'],
    ['the healthcheck script is not copied', (t) => t.replace(/^COPY docker\/healthcheck\.mjs.*$/m, ''), 'which the final stage does not COPY'],
    ['a different stop signal', (t) => t.replace('STOPSIGNAL SIGTERM', 'STOPSIGNAL SIGKILL'), 'STOPSIGNAL must be SIGTERM'],
    ['shell-form CMD', (t) => t.replace('CMD ["node", "main.js"]', 'CMD node main.js'), 'CMD must be in exec form'],
    ['the build output is looked for elsewhere', (t) => t.replaceAll('/workspace/dist/${APP_ROOT}/${SERVICE}/', '/workspace/dist/apps/${SERVICE}/'), 'but the project builds into dist/services/'],
    ['the build output fixed to services/', (t) => t.replaceAll('/workspace/dist/${APP_ROOT}/${SERVICE}/', '/workspace/dist/services/${SERVICE}/'), `with APP_ROOT=tools SERVICE=${PROVISIONER} copies dist/services/${PROVISIONER}/package.json from the build, but the project builds into dist/tools/${PROVISIONER}`],
    ['ARG APP_ROOT missing in a stage that uses it', (t) => t.replace(/(FROM node:\S+ AS deps\n)ARG APP_ROOT=services\n/, '$1'), 'stage deps uses $APP_ROOT without "ARG APP_ROOT"'],
    ['APP_ROOT without its default', (t) => t.replace(/(FROM node:\S+ AS runtime\n)ARG APP_ROOT=services\n/, '$1ARG APP_ROOT\n'), 'stage runtime: ARG APP_ROOT must default to APP_ROOT=services'],
    ['the bundle not copied into the WORKDIR', (t) => t.replace('COPY --from=build /workspace/dist/${APP_ROOT}/${SERVICE}/ ./', 'COPY --from=build /workspace/dist/${APP_ROOT}/${SERVICE}/ ./bundle/'), 'the final stage must copy dist/services/identity/ into its WORKDIR (/app)'],
    ['no production configuration', (t) => t.replace('npx nx build "${SERVICE}" --configuration=production', 'npx nx build "${SERVICE}"'), 'must use --configuration=production'],
    ['no pruned runtime install', (t) => t.replace(/^(RUN .*)npm ci --omit=dev/m, '$1npm install'), 'npm ci --omit=dev'],
    ['a COPY source that does not exist', (t) => t.replace('COPY docker/healthcheck.mjs', 'COPY docker/health.mjs'), 'COPY source docker/health.mjs does not exist'],
  ];
  it.each(serviceCases)(`catches drift in ${SERVICE_FILE}: %s`, (_title, breakIt, expected) => {
    const broken = breakIt(service);
    expect(broken).not.toBe(service);
    expect(checkServiceDockerfile(broken, serviceCtx())).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it('catches a service folder the Dockerfile cannot build', () => {
    expect(checkServiceDockerfile(service, { ...serviceCtx(), serviceNames: [...facts.serviceNames, 'ghost'] })).toEqual(
      expect.arrayContaining([expect.stringContaining('SERVICE=ghost: services/ghost/project.json does not exist')]),
    );
    expect(checkServiceDockerfile(service, { ...serviceCtx(), tools: ['topic-maker'] })).toEqual([
      expect.stringContaining('APP_ROOT=tools SERVICE=topic-maker: tools/topic-maker/project.json does not exist'),
    ]);
  });

  const portalCases: [string, (text: string) => string, string][] = [
    ['the browser files land elsewhere than PORTAL_DIST', (t) => t.replace('PORTAL_DIST=/app/browser', 'PORTAL_DIST=/app/public'), 'PORTAL_DIST=/app/public, but the built files are copied to'],
    ['the build output path drifts', (t) => t.replace('ARG PORTAL_DIST=dist/frontend/portal/browser', 'ARG PORTAL_DIST=dist/portal'), 'but frontend/portal builds into dist/frontend/portal/browser'],
    ['serve.mjs is not the command', (t) => t.replace('CMD ["node", "serve.mjs"]', 'CMD ["node", "server.js"]'), 'CMD must be ["node","serve.mjs"]'],
    ['port 4200 not exposed', (t) => t.replace('EXPOSE 4200', 'EXPOSE 80'), 'must EXPOSE 4200'],
    ['no node_modules in the final stage', (t) => t.replace(/^COPY --from=deps .*node_modules.*$/m, ''), 'but the final stage copies no node_modules into /app/node_modules'],
    ['a package serve.mjs imports is not installed', (t) => t.replace(' @fastify/http-proxy"', '"'), 'imports "@fastify/http-proxy", which stage deps does not install'],
    ['a package serve.mjs does not import is installed', (t) => t.replace('ARG SERVER_PACKAGES="', 'ARG SERVER_PACKAGES="express '), 'stage deps installs "express", which'],
    ['node_modules copied from the wrong folder', (t) => t.replace('COPY --from=deps /app/node_modules', 'COPY --from=deps /workspace/node_modules'), 'but that stage installs into /app/node_modules'],
  ];
  it.each(portalCases)(`catches drift in ${PORTAL_FILE}: %s`, (title, breakIt, expected) => {
    if (!facts.portal && title.includes('build output')) return;
    const broken = breakIt(portal);
    expect(broken).not.toBe(portal);
    expect(checkPortalDockerfile(broken, portalCtx())).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it('catches a .dockerignore that lets node_modules in or keeps sources out', () => {
    expect(checkDockerignore(facts.dockerignore.replace(/^node_modules$/m, ''))).toEqual(['.dockerignore must exclude node_modules']);
    expect(checkDockerignore(`${facts.dockerignore}\nlibs\n`)).toEqual(['.dockerignore excludes libs, which the image build needs']);
  });

  it(`catches ${SERVE_MJS} importing a package that is no dependency, or that the image does not install`, () => {
    const importsExpress = `import http from 'node:http';\nimport express from 'express';\nimport send from '@fastify/static/lib/x.js';\n`;
    expect(servePackages(importsExpress)).toEqual(['@fastify/static', 'express']);
    expect(checkServeDependencies(importsExpress, { dependencies: { '@fastify/static': '1.0.0' }, devDependencies: { express: '5.0.0' } })).toEqual([
      expect.stringContaining('imports "express", which is not in package.json dependencies'),
    ]);
    expect(checkPortalDockerfile(portal, { ...portalCtx(), serveMjs: `${facts.serveMjs}\nimport express from 'express';\n` })).toEqual([
      expect.stringContaining('imports "express", which stage deps does not install'),
    ]);
  });
});
