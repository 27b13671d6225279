import { dirname, join, posix, relative, resolve } from 'node:path';
import ignore from '@balena/dockerignore';
import { DockerfileParser, From, ModifiableInstruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { PORTAL_PORT, SERVE_MJS, servePackages } from './portal';
import { exists, imageTagProblem, readJson, readText, REPO_ROOT, asDict, Dict } from './repo';

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

/**
 * The stages of a Dockerfile as BuildKit's grammar reads it (dockerfile-ast, the parser of the Docker language
 * server): each instruction's flags (`--from=build`) followed by its arguments, continuation lines joined.
 */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    const keyword = instruction.getKeyword().toUpperCase();
    if (instruction instanceof From) {
      stages.push({ image: instruction.getImage() ?? '', name: instruction.getBuildStage() ?? undefined, instructions: [] });
      continue;
    }
    const flags = instruction instanceof ModifiableInstruction ? instruction.getFlags().map((f) => `--${f.getName()}=${f.getValue() ?? ''}`) : [];
    const args = [...flags, (instruction.getArgumentsContent() ?? '').replace(/\s+/g, ' ').trim()].join(' ').trim();
    stages[stages.length - 1]?.instructions.push({ keyword, args, line: instruction.getRange().start.line + 1 });
  }
  return stages;
}

/** Errors and warnings of the Docker language server's linter (dockerfile-utils), as "<line>: <message>". */
export function lintDockerfile(text: string): string[] {
  return validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`);
}

/** Exec-form (JSON array) arguments, or undefined for shell form. */
export function execForm(args: string): string[] | undefined {
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const flagValue = (args: string, flag: string): string | undefined => new RegExp(`--${flag}=(\\S+)`).exec(args)?.[1];

const withoutFlags = (args: string): string[] => {
  const json = execForm(args);
  if (json) return json;
  return args.split(/\s+/).filter((a) => a && !a.startsWith('--'));
};

/** ${VAR} / $VAR replaced by the build args given. */
export const substitute = (text: string, vars: Record<string, string>): string =>
  text.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, a, b) => vars[(a ?? b) as string] ?? match);

const usesVar = (text: string, name: string) => new RegExp(`\\$\\{${name}\\}|\\$${name}\\b`).test(text);

// ---------------------------------------------------------------------------------------------------------------
// .dockerignore

export const DOCKERIGNORE_REQUIRED = ['node_modules', 'dist', '.local', '.nx', 'coverage'];

/** The context paths each Dockerfile build needs (the Nx workspace). */
export const CONTEXT_REQUIRED = ['package.json', 'package-lock.json', 'nx.json', 'tsconfig.base.json', 'jest.preset.js', 'eslint.config.mjs', 'services', 'libs', 'frontend', 'docker'];

/** Whether .dockerignore excludes a context path, by docker's own rules (@balena/dockerignore: globs, **, ! exceptions). */
export function ignored(dockerignore: string, path: string): boolean {
  return ignore().add(dockerignore).ignores(path);
}

export function checkDockerignore(text: string): string[] {
  const problems: string[] = [];
  const entries = new Set(text.split('\n').map((l) => l.trim().replace(/^\/+|\/+$/g, '')));
  for (const required of DOCKERIGNORE_REQUIRED) if (!entries.has(required)) problems.push(`.dockerignore must exclude ${required}`);
  for (const path of CONTEXT_REQUIRED) if (ignored(text, path)) problems.push(`.dockerignore excludes ${path}, which the image build needs`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// Dockerfiles

/** The Node major the workspace requires (package.json engines.node, e.g. ">=24.9 <25" -> 24). */
export function nodeMajor(): number | undefined {
  const range = String(asDict(readJson<Dict>('package.json')['engines'])['node'] ?? '');
  const match = /(\d+)/.exec(range);
  return match ? Number(match[1]) : undefined;
}

function commonChecks(file: string, stages: Stage[], dockerignore: string): string[] {
  const problems: string[] = [];
  if (!stages.length) return [`${file}: no FROM`];
  const names = new Set(stages.map((s) => s.name).filter(Boolean));
  for (const stage of stages) {
    if (names.has(stage.image)) continue;
    const problem = imageTagProblem(stage.image);
    if (problem) problems.push(`${file}: FROM ${problem}`);
    const major = nodeMajor();
    if (stage.image.startsWith('node:') && major !== undefined && !stage.image.startsWith(`node:${major}`)) {
      problems.push(`${file}: FROM ${stage.image}, but package.json engines require Node ${major}`);
    }
  }
  // Files copied from the build context exist and are not excluded by .dockerignore.
  for (const stage of stages) {
    for (const copy of stage.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')) {
      if (flagValue(copy.args, 'from')) continue;
      const parts = withoutFlags(copy.args);
      for (const source of parts.slice(0, -1)) {
        if (usesVar(source, '\\w+')) continue;
        const path = source.replace(/^\.\/?/, '').replace(/\/$/, '');
        if (path === '' || path === '.') continue;
        if (!exists(path)) problems.push(`${file}:${copy.line}: COPY source ${source} does not exist`);
        else if (ignored(dockerignore, path)) problems.push(`${file}:${copy.line}: COPY source ${source} is excluded by .dockerignore`);
      }
    }
  }
  const final = stages[stages.length - 1];
  const last = (keyword: string) => [...final.instructions].reverse().find((i) => i.keyword === keyword);
  const user = last('USER')?.args;
  if (!user) problems.push(`${file}: the final stage sets no USER (runs as root)`);
  else if (/^(root|0)(:|$)/.test(user)) problems.push(`${file}: the final stage runs as ${user}`);
  else if (!/^\d+(:\d+)?$/.test(user)) problems.push(`${file}: USER ${user}: use a numeric uid so Kubernetes runAsNonRoot can verify it`);
  const healthcheck = last('HEALTHCHECK')?.args ?? '';
  if (!/\/health\/live\b/.test(healthcheck)) problems.push(`${file}: the final stage needs a HEALTHCHECK on /health/live`);
  if (!last('STOPSIGNAL')) problems.push(`${file}: the final stage sets no STOPSIGNAL`);
  if (!last('CMD') || !execForm(last('CMD')?.args ?? '')) problems.push(`${file}: CMD must be in exec form (JSON array) so the process gets the stop signal`);
  // The healthcheck script it runs is copied into the image.
  const probe = execForm(healthcheck.replace(/^.*?CMD\s+/, ''));
  const script = probe?.find((a) => a.endsWith('.mjs') || a.endsWith('.js'));
  if (script && !final.instructions.some((i) => i.keyword === 'COPY' && withoutFlags(i.args).slice(-1)[0] === script)) {
    problems.push(`${file}: HEALTHCHECK runs ${script}, which the final stage does not COPY`);
  }
  return problems;
}

/** WORKDIR in effect at the end of a stage. */
const workdirOf = (stage: Stage): string => [...stage.instructions].reverse().find((i) => i.keyword === 'WORKDIR')?.args ?? '/';

/** The folder a project's webpack build writes (output.path of <projectDir>/webpack.config.js), repo-relative. */
export function webpackOutputDir(projectDir: string): string | undefined {
  const file = `${projectDir}/webpack.config.js`;
  if (!exists(file)) return undefined;
  const match = /path:\s*join\(\s*__dirname\s*,\s*['"]([^'"]+)['"]\s*\)/.exec(readText(file));
  return match ? relative(REPO_ROOT, resolve(REPO_ROOT, projectDir, match[1])) : undefined;
}

export interface DockerfileContext {
  serviceNames: string[];
  /** Projects of tools/ deployed from the same recipe (APP_ROOT=tools), e.g. kafka-provision. */
  tools: string[];
  dockerignore: string;
}

/** The build arg naming the folder of the Nx project (services by default, tools for a deployed tool). */
const APP_ROOT = 'APP_ROOT';
const DEFAULT_APP_ROOT = 'services';

/** docker/service.Dockerfile against every folder of services/. */
export function checkServiceDockerfile(text: string, ctx: DockerfileContext, file = 'docker/service.Dockerfile'): string[] {
  const stages = parseDockerfile(text);
  const problems = commonChecks(file, stages, ctx.dockerignore);
  if (!stages.length) return problems;

  for (const stage of stages) {
    for (const variable of ['SERVICE', APP_ROOT]) {
      const uses = stage.instructions.some((i) => usesVar(i.args, variable));
      const arg = stage.instructions.find((i) => i.keyword === 'ARG' && new RegExp(`^${variable}(=|$)`).test(i.args));
      if (uses && !arg) problems.push(`${file}: stage ${stage.name ?? stage.image} uses $${variable} without "ARG ${variable}" in that stage (it would be empty)`);
      // without the default, `--build-arg SERVICE=identity` alone would build from /identity
      if (variable === APP_ROOT && arg && arg.args !== `${APP_ROOT}=${DEFAULT_APP_ROOT}`) problems.push(`${file}: stage ${stage.name ?? stage.image}: ARG ${arg.args} must default to ${APP_ROOT}=${DEFAULT_APP_ROOT}`);
    }
  }

  const build = stages.find((s) => s.instructions.some((i) => i.keyword === 'RUN' && /nx\s+build\s+"?\$\{?SERVICE\}?"?/.test(i.args)));
  if (!build) return [...problems, `${file}: no stage runs "nx build \${SERVICE}"`];
  const nxBuild = build.instructions.find((i) => i.keyword === 'RUN' && /nx\s+build/.test(i.args))?.args ?? '';
  if (!/--configuration[= ]production/.test(nxBuild)) problems.push(`${file}: nx build must use --configuration=production`);
  if (!build.instructions.some((i) => i.keyword === 'RUN' && /npm ci\b/.test(i.args))) problems.push(`${file}: the build stage must install with npm ci (the lockfile)`);
  if (!stages.some((s) => s.instructions.some((i) => i.keyword === 'RUN' && /npm ci\b.*--omit=dev/.test(i.args)))) {
    problems.push(`${file}: the runtime node_modules must come from "npm ci --omit=dev" against the generated package.json`);
  }
  const buildDir = workdirOf(build);

  const final = stages[stages.length - 1];
  const cmd = execForm([...final.instructions].reverse().find((i) => i.keyword === 'CMD')?.args ?? '');
  if (JSON.stringify(cmd) !== JSON.stringify(['node', 'main.js'])) problems.push(`${file}: CMD must be ["node","main.js"], is ${JSON.stringify(cmd)}`);
  const stopsignal = [...final.instructions].reverse().find((i) => i.keyword === 'STOPSIGNAL')?.args;
  if (stopsignal && stopsignal !== 'SIGTERM') problems.push(`${file}: STOPSIGNAL must be SIGTERM (the services shut down gracefully on it), is ${stopsignal}`);

  const runtimeDir = workdirOf(final);
  const projects = [...ctx.serviceNames.map((name) => [DEFAULT_APP_ROOT, name]), ...ctx.tools.map((name) => ['tools', name])];
  for (const [root, service] of projects) {
    const vars = { SERVICE: service, [APP_ROOT]: root };
    const given = root === DEFAULT_APP_ROOT ? `SERVICE=${service}` : `${APP_ROOT}=${root} SERVICE=${service}`;
    const project = `${root}/${service}/project.json`;
    if (!exists(project)) {
      problems.push(`${file}: ${given}: ${project} does not exist`);
      continue;
    }
    const projectName = readJson<Dict>(project)['name'];
    if (projectName !== service) problems.push(`${file}: "nx build ${service}" needs the Nx project of ${root}/${service} to be named ${service} (is ${String(projectName)})`);
    const output = webpackOutputDir(`${root}/${service}`);
    if (!output) problems.push(`${file}: ${given}: ${root}/${service}/webpack.config.js has no output.path = join(__dirname, ...)`);
    else if (!readText(`${root}/${service}/webpack.config.js`).match(/generatePackageJson:\s*true/)) {
      problems.push(`${file}: ${given}: webpack.config.js must set generatePackageJson: true (the runtime stage installs from the generated package.json)`);
    }
    // Everything copied out of the build stage lies in the project's build output, and the bundle lands in the
    // runtime WORKDIR, where CMD expects main.js.
    let bundleCopied = false;
    for (const stage of stages) {
      for (const copy of stage.instructions.filter((i) => i.keyword === 'COPY' && flagValue(i.args, 'from') === build.name)) {
        const parts = withoutFlags(substitute(copy.args, vars));
        for (const source of parts.slice(0, -1)) {
          const inRepo = posix.relative(buildDir, posix.resolve(buildDir, source));
          if (inRepo.startsWith('..')) continue;
          if (output && !(inRepo === output || inRepo.startsWith(`${output}/`))) {
            problems.push(`${file}:${copy.line}: with ${given} copies ${inRepo} from the build, but the project builds into ${output}`);
          }
          if (stage === final && inRepo === output && posix.resolve(runtimeDir, parts[parts.length - 1]) === runtimeDir) bundleCopied = true;
        }
      }
    }
    if (output && !bundleCopied) problems.push(`${file}: with ${given} the final stage must copy ${output}/ into its WORKDIR (${runtimeDir}), where CMD runs main.js`);
    if (!exists(join(dirname(project), 'src/main.ts'))) problems.push(`${file}: ${given}: ${root}/${service}/src/main.ts does not exist`);
  }
  return problems;
}

export interface PortalContext {
  dockerignore: string;
  portal: boolean;
  /** The text of serve.mjs: the packages it imports must be installed next to it. */
  serveMjs: string;
}

/** The build arg of the portal image's node_modules stage that lists the packages it installs. */
export const SERVER_PACKAGES_ARG = 'SERVER_PACKAGES';

/**
 * The final stage's node_modules (next to serve.mjs, where Node resolves its imports) comes from a stage that
 * installs exactly the packages serve.mjs imports, listed in ARG SERVER_PACKAGES.
 */
function checkServePackagesInstalled(file: string, stages: Stage[], serveMjs: string): string[] {
  const imported = servePackages(serveMjs);
  const final = stages[stages.length - 1];
  const workdir = workdirOf(final);
  const copy = final.instructions.find(
    (i) => i.keyword === 'COPY' && flagValue(i.args, 'from') && posix.resolve(workdir, withoutFlags(i.args).slice(-1)[0]) === posix.join(workdir, 'node_modules'),
  );
  if (!copy) {
    return imported.length ? [`${file}: ${SERVE_MJS} imports ${imported.join(', ')}, but the final stage copies no node_modules into ${workdir}/node_modules`] : [];
  }
  const from = flagValue(copy.args, 'from');
  const source = stages.find((s) => s.name === from);
  if (!source) return [`${file}:${copy.line}: copies node_modules from stage ${from}, which does not exist`];
  const problems: string[] = [];
  const sourcePath = withoutFlags(copy.args)[0];
  if (posix.resolve(workdirOf(source), sourcePath) !== posix.join(workdirOf(source), 'node_modules')) {
    problems.push(`${file}:${copy.line}: copies ${sourcePath} from stage ${from}, but that stage installs into ${posix.join(workdirOf(source), 'node_modules')}`);
  }
  const arg = source.instructions.find((i) => i.keyword === 'ARG' && i.args.startsWith(`${SERVER_PACKAGES_ARG}=`));
  if (!arg) return [...problems, `${file}: stage ${from} must list the packages it installs in ARG ${SERVER_PACKAGES_ARG}="..."`];
  if (!source.instructions.some((i) => i.keyword === 'RUN' && new RegExp(`\\b${SERVER_PACKAGES_ARG}\\b`).test(i.args) && /npm (ci|install)\b/.test(i.args))) {
    problems.push(`${file}: stage ${from} must npm-install the packages of ARG ${SERVER_PACKAGES_ARG}`);
  }
  const installed = new Set(arg.args.slice(SERVER_PACKAGES_ARG.length + 1).replace(/^["']|["']$/g, '').split(/\s+/).filter(Boolean));
  for (const name of imported) if (!installed.has(name)) problems.push(`${file}: ${SERVE_MJS} imports "${name}", which stage ${from} does not install (ARG ${SERVER_PACKAGES_ARG})`);
  for (const name of installed) if (!imported.includes(name)) problems.push(`${file}: stage ${from} installs "${name}", which ${SERVE_MJS} does not import`);
  return problems;
}

/** Where `nx build portal` writes the browser files: the Angular application builder's outputPath + /browser. */
export function portalBrowserDir(): string | undefined {
  const project = readJson<Dict>('frontend/portal/project.json');
  const options = asDict(asDict(asDict(project['targets'])['build'])['options']);
  const output = options['outputPath'];
  if (typeof output === 'string') return `${output.replace(/\/$/, '')}/browser`;
  const dict = asDict(output);
  if (typeof dict['base'] === 'string') return `${dict['base']}/${typeof dict['browser'] === 'string' ? dict['browser'] : 'browser'}`.replace(/\/$/, '');
  return undefined;
}

export function checkPortalDockerfile(text: string, ctx: PortalContext, file = 'docker/portal.Dockerfile'): string[] {
  const stages = parseDockerfile(text);
  const problems = commonChecks(file, stages, ctx.dockerignore);
  const runs = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args));
  if (!runs.some((r) => /nx\s+build\s+portal\b.*--configuration[= ]production/.test(r))) problems.push(`${file}: must run "nx build portal --configuration=production"`);
  const distArg = stages.flatMap((s) => s.instructions).find((i) => i.keyword === 'ARG' && i.args.startsWith('PORTAL_DIST='))?.args.slice('PORTAL_DIST='.length);
  if (!distArg) problems.push(`${file}: ARG PORTAL_DIST=<where nx build portal writes the browser files> is missing`);
  if (ctx.portal) {
    if (readJson<Dict>('frontend/portal/project.json')['name'] !== 'portal') problems.push(`${file}: frontend/portal's Nx project must be named portal`);
    const browser = portalBrowserDir();
    if (browser && distArg && browser !== distArg) problems.push(`${file}: PORTAL_DIST=${distArg}, but frontend/portal builds into ${browser}`);
  }
  const final = stages[stages.length - 1];
  if (!final) return problems;
  if (!final.instructions.some((i) => i.keyword === 'EXPOSE' && i.args.split(/\s+/).includes(String(PORTAL_PORT)))) problems.push(`${file}: the final stage must EXPOSE ${PORTAL_PORT}`);
  const cmd = execForm([...final.instructions].reverse().find((i) => i.keyword === 'CMD')?.args ?? '');
  if (JSON.stringify(cmd) !== JSON.stringify(['node', 'serve.mjs'])) problems.push(`${file}: CMD must be ["node","serve.mjs"], is ${JSON.stringify(cmd)}`);
  const workdir = workdirOf(final);
  const copiesServer = final.instructions.some((i) => i.keyword === 'COPY' && !flagValue(i.args, 'from') && withoutFlags(i.args)[0] === SERVE_MJS && posix.resolve(workdir, withoutFlags(i.args).slice(-1)[0]) === posix.join(workdir, 'serve.mjs'));
  if (!copiesServer) problems.push(`${file}: the final stage must COPY ${SERVE_MJS} into its WORKDIR (${workdir}), where CMD runs it`);
  // serve.mjs finds the browser files through PORTAL_DIST: it must be where the build's files are copied.
  const env = final.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args).join(' ');
  const portalDist = /\bPORTAL_DIST=(\S+)/.exec(env)?.[1];
  const filesCopiedTo = final.instructions
    .filter((i) => i.keyword === 'COPY' && flagValue(i.args, 'from'))
    .map((i) => posix.resolve(workdir, withoutFlags(i.args).slice(-1)[0]));
  if (!portalDist) problems.push(`${file}: the final stage must set ENV PORTAL_DIST (serve.mjs would look in the repository layout)`);
  else if (!filesCopiedTo.includes(posix.resolve(workdir, portalDist))) problems.push(`${file}: PORTAL_DIST=${portalDist}, but the built files are copied to ${filesCopiedTo.join(', ')}`);
  const stopsignal = [...final.instructions].reverse().find((i) => i.keyword === 'STOPSIGNAL')?.args;
  if (stopsignal && stopsignal !== 'SIGTERM') problems.push(`${file}: STOPSIGNAL must be SIGTERM (serve.mjs shuts down on it), is ${stopsignal}`);
  problems.push(...checkServePackagesInstalled(file, stages, ctx.serveMjs));
  return problems;
}

