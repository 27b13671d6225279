// Lets Node 24 (type stripping) run the library's TypeScript sources directly: resolves the
// extensionless relative imports that the Nx/TypeScript sources use to their `.ts` files.
import { registerHooks } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if ((specifier.startsWith('./') || specifier.startsWith('../')) && context.parentURL?.endsWith('.ts')) {
      if (!/\.[cm]?[jt]s$/.test(specifier)) {
        const url = new URL(`${specifier}.ts`, context.parentURL);
        if (existsSync(fileURLToPath(url))) specifier = url.href;
      }
    }
    const result = nextResolve(specifier, context);
    // Sources under libs/ are ES modules in TypeScript; saying so skips Node's CommonJS-first guess.
    if (result.url.endsWith('.ts') && result.url.includes('/libs/')) return { ...result, format: 'module-typescript' };
    return result;
  },
});
