#!/usr/bin/env node
// Starts the CLI bundle. V8 compiles a function the first time it runs, and a 470 kB bundle is a
// good part of a short command's time; so the bundle is compiled with a code cache that the last
// run of the same command left in the user's cache folder (as Node 22's module.enableCompileCache
// does; Node 20 has no such switch). A missing, stale or rejected cache only costs the compile: the
// run goes on, and writes a new one as it exits. RARFT_NO_CODE_CACHE=1 turns it off.

const {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} = require('node:fs');
const Module = require('node:module');
const { homedir } = require('node:os');
const { basename, dirname, join } = require('node:path');
const vm = require('node:vm');

const bundle = join(__dirname, '..', 'dist', 'cli.js');

/** The folder for caches: $XDG_CACHE_HOME/rarft, ~/.cache/rarft, or %LOCALAPPDATA%\rarft\Cache. */
function cacheDir() {
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return join(process.env.LOCALAPPDATA, 'rarft', 'Cache');
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rarft');
}

/** A short hash of a string (FNV-1a, 32 bits): names a file, secures nothing. */
function hash(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/**
 * The cache file of this command of this installed bundle, for this build of it and this Node
 * (V8 checks the source and its flags itself): `cli-<command>-<where>-<build>.v8`.
 */
function cacheFile() {
  const st = statSync(bundle);
  const command = /^[a-z][a-z-]{0,30}$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
  const build = hash([process.version, process.arch, st.size, Math.floor(st.mtimeMs)].join('|'));
  return join(cacheDir(), `cli-${command}-${hash(bundle)}-${build}.v8`);
}

/** The bundle compiled with its cache, or undefined when anything about the cache is off. */
function compile() {
  try {
    const file = cacheFile();
    const cachedData = existsSync(file) ? readFileSync(file) : undefined;
    const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), {
      filename: bundle,
      cachedData,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    return { script, file, fresh: !cachedData || script.cachedDataRejected };
  } catch {
    return undefined;
  }
}

/** Runs the compiled bundle as the module dist/cli.js, and leaves a cache for the next run. */
function run({ script, file, fresh }) {
  const mod = new Module(bundle, module);
  mod.filename = bundle;
  mod.paths = Module._nodeModulePaths(dirname(bundle));
  Module._cache[bundle] = mod;
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, dirname(bundle));
  mod.loaded = true;
  if (fresh)
    // At exit, so that the cache holds every function this command compiled, not only the top level;
    // after a run that succeeded only (a mistyped command leaves no cache named after it).
    process.once('exit', (code) => {
      if (code !== 0) return;
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, file);
        // Earlier builds' caches of this command of this bundle go: one file per command and install.
        const prefix = basename(file).replace(/[^-]+\.v8$/, '');
        for (const name of readdirSync(dirname(file)))
          if (name.startsWith(prefix) && name.endsWith('.v8') && name !== basename(file))
            rmSync(join(dirname(file), name), { force: true });
      } catch {
        // A read-only or full disk: the next run compiles again.
        try {
          rmSync(tmp, { force: true });
        } catch {}
      }
    });
  return mod.exports;
}

/**
 * `evaluate` may read a large file in two parts on two threads (src/core/eval/parts.ts). Its
 * worker starts here, before the bundle is compiled: it boots and begins on the second part
 * (worker.ts reads the arguments with the command's own option table) while this thread loads,
 * and the command adopts it (takeEarlyWorker in src/core/threads/pool.ts) or stops it. Unref'd:
 * a command that ends early does not wait for it. RARFT_THREADS=0 keeps everything in one thread.
 */
function startEarlyWorker() {
  if (process.argv[2] !== 'evaluate') return;
  const cap = process.env.RARFT_THREADS;
  if (cap !== undefined && cap.trim() !== '' && Number(cap) < 1) return;
  const file = join(__dirname, '..', 'dist', 'worker.js');
  try {
    if (require('node:os').availableParallelism() < 2 || !existsSync(file)) return;
    const { Worker } = require('node:worker_threads');
    const worker = new Worker(file, { workerData: { early: { args: process.argv.slice(3) } } });
    worker.unref();
    worker.on('error', () => undefined);
    const reply = new Promise((resolve) => {
      worker.once('message', resolve);
      worker.once('exit', () => resolve(undefined));
      worker.once('error', () => resolve(undefined));
    });
    globalThis[Symbol.for('rarft.earlyWorker')] = { worker, reply };
  } catch {
    // No worker: the command runs in one thread.
  }
}

startEarlyWorker();
const compiled =
  process.env.RARFT_NO_CODE_CACHE || !vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ? undefined : compile();
(compiled ? run(compiled) : require(bundle)).run();
