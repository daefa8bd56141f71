// Bundles the extension host, the CLI and (when present) the webview apps with esbuild.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { checkBoundaries } from './checkBoundaries.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const problems = checkBoundaries();
if (problems.length) {
  for (const p of problems) console.error(p);
  process.exit(1);
}

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  target: 'node20',
  define: { __VERSION__: JSON.stringify(pkg.version) },
};

/** Node-side bundles: native and heavy modules stay external and ship in node_modules. */
const nodeExternal = ['vscode', 'onnxruntime-node', '@huggingface/tokenizers'];
const configs = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: nodeExternal,
    // jsonc-parser's UMD build uses dynamic requires esbuild cannot follow; take its ESM build.
    mainFields: ['module', 'main'],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    // The OpenAI client is half of the bundle (440 of 890 kB) and only `--judge llm|hybrid` uses it:
    // required from node_modules when a judge needs it, every other command starts without parsing it.
    external: [...nodeExternal, 'openai'],
    // jsonc-parser's UMD build uses dynamic requires esbuild cannot follow; take its ESM build.
    mainFields: ['module', 'main'],
    // bin/rarft.js runs this bundle from a V8 code cache (vm.Script with cachedData), and on Node 20
    // an import() in a script read from a cache fails ("A dynamic import callback was not
    // specified"): every import() becomes a require, which is what it loads in a CommonJS bundle anyway.
    supported: { 'dynamic-import': false },
  },
  {
    // The worker threads of compare (src/core/threads/pool.ts), started by the CLI.
    ...common,
    entryPoints: ['src/cli/worker.ts'],
    outfile: 'dist/worker.js',
    platform: 'node',
    format: 'cjs',
    external: nodeExternal,
    mainFields: ['module', 'main'],
  },
];
// Webview apps (browser bundles), added as their entry files appear.
for (const name of ['inspector', 'dashboard', 'curves']) {
  const entry = `webview/${name}/main.ts`;
  if (existsSync(entry)) {
    configs.push({
      ...common,
      entryPoints: [entry],
      outfile: `dist/webview/${name}.js`,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
    });
  }
}

if (watch) {
  const contexts = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] build started');
} else {
  await Promise.all(configs.map((c) => esbuild.build(c)));
}
