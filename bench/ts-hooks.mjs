// Lets Node 24 run the libraries' TypeScript sources directly, for every benchmark. It transpiles with TypeScript
// (not type stripping), because match-scoring imports types without `import type`, which only a compiler can elide;
// it also resolves the `@relationship/*` path aliases of tsconfig.base.json and extensionless imports.
import { registerHooks } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const paths = JSON.parse(readFileSync(join(repo, 'tsconfig.base.json'), 'utf8')).compilerOptions.paths ?? {};
const isLibSource = (url) => url.startsWith('file:') && url.endsWith('.ts') && url.includes('/libs/');

registerHooks({
  resolve(specifier, context, nextResolve) {
    const alias = paths[specifier]?.[0];
    if (alias) specifier = pathToFileURL(join(repo, alias)).href;
    else if ((specifier.startsWith('./') || specifier.startsWith('../')) && context.parentURL?.endsWith('.ts')) {
      if (!/\.[cm]?[jt]s$/.test(specifier)) {
        // `./x` is `./x.ts` or, for a folder (one per event contract), `./x/index.ts`
        const file = [`${specifier}.ts`, `${specifier}/index.ts`].map((f) => new URL(f, context.parentURL)).find((u) => existsSync(fileURLToPath(u)));
        if (file) specifier = file.href;
      }
    }
    return nextResolve(specifier, context);
  },
  load(url, context, nextLoad) {
    if (!isLibSource(url)) return nextLoad(url, context);
    const source = readFileSync(fileURLToPath(url), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: fileURLToPath(url),
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, esModuleInterop: true, sourceMap: false },
    });
    return { format: 'module', source: outputText, shortCircuit: true };
  },
});
