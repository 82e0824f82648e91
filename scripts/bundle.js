// sup's hot entry points as single files, built from tsc's output (dist/), so that a process loads one file instead
// of one per module (Node's ES module loader costs about a millisecond per module, the daemon had 220):
// - the CLI's fast path, dist/sup-cli.cjs, CommonJS (no ES module loader at all for `sup list`, `ping`, `kill` and
//   stop/restart/reload/delete of named apps, src/cli/fast-path.ts); packages stay outside;
// - every other command, dist/cli-bundle/ (from dist/cli/main.js, with its own copies of the modules it shares with the
//   fast path): ES modules split into chunks, so that a command loads its own code and what it shares, once; packages
//   inside (yargs and zod alone were ~250 of the ~300 modules `sup start` loaded one by one: a warm start took 400 ms);
// - the daemon and the keeper, dist/bin/sup-daemon.cjs and dist/bin/sup-keeper.cjs, CommonJS too, packages inside: a
//   keeper that loaded its code never reads sup's files again, so a `sup update` that replaces them cannot mix two
//   versions in it. CommonJS because an ES module's import of a Node module builds a facade of all its exports, which
//   runs the lazy getters (`fs` loads streams, fs/promises, readline): measured 0.9 MiB more PSS for the daemon.
//   tsc's entries (dist/bin/sup-daemon.js, sup-keeper.js: what older systemd units and keepers name) become shims
//   that load the bundles.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const OWN = ['sup-daemon', 'sup-keeper'];
const SHIM_MARK = '// sup: the bundle';
// The entries are replaced by shims below: bundling them again would bundle a shim.
if (readFileSync('dist/bin/sup-daemon.js', 'utf8').includes(SHIM_MARK)) {
  throw new Error('dist/ is bundled already; run `npm run build` (tsc, then this script)');
}

// Without comments and indentation (names are kept): V8 holds each bundle's source in memory for as long as the process
// runs, as two bytes per character once a comment has one non-ASCII character; the daemon's came to 640 KiB of heap.
const common = { bundle: true, platform: 'node', target: 'node20.19', minifyWhitespace: true, charset: 'ascii', metafile: true, logLevel: 'warning' };
// CommonJS, the package root at `root` from the bundle's file (src/install-paths.ts). There is no import.meta: the
// bundle's own URL stands in. Strict as the ES modules it is built from (esbuild's own "use strict" would come after the
// banner, where it does nothing).
const asCommonJs = (root) => ({
  format: 'cjs',
  define: { 'import.meta.url': '__sup_bundle_url', __SUP_ROOT__: JSON.stringify(root) },
  banner: { js: '"use strict";const __sup_bundle_url = require("node:url").pathToFileURL(__filename).href;' },
});

// Left out of the fast path's bundle: the full CLI's, imported at run time (the path from the bundle's folder, dist/).
const outsideCli = {
  name: 'outside',
  setup(b) {
    b.onResolve({ filter: /\/cli\/main\.js$/ }, () => ({ path: './cli-bundle/main.js', external: true }));
  },
};

// zod's messages in English only: its other locales were half of what the full CLI's bundle compiled (300 of 600 KiB).
const zodInEnglish = {
  name: 'zod-in-english',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes('/node_modules/zod/') ? { path: 'zod-locales', namespace: 'zod-in-english' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-in-english' }, () => ({
      contents: 'export { default as en } from "zod/v4/locales/en.js";',
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
    }));
  },
};

const results = await Promise.all([
  build({
    ...common,
    entryPoints: ['dist/bin/sup.js'],
    outfile: 'dist/sup-cli.cjs',
    packages: 'external',
    ...asCommonJs('../'),
    plugins: [outsideCli],
  }),
  build({
    ...common,
    entryPoints: ['dist/cli/main.js'],
    outdir: 'dist/cli-bundle',
    format: 'esm',
    splitting: true,
    // Loaded when a command needs them (a YAML file, a cron pattern, the dashboard, `sup web`), or large and rare.
    external: ['yaml', 'croner', 'blessed', 'ws', 'chokidar', 'picomatch', 'pidusage'],
    define: { __SUP_ROOT__: JSON.stringify('../../') },
    plugins: [zodInEnglish],
  }),
  ...OWN.map((name) =>
    build({
      ...common,
      entryPoints: [`dist/bin/${name}.js`],
      outfile: `dist/bin/${name}.cjs`,
      ...asCommonJs('../../'),
    }),
  ),
]);
for (const name of OWN) {
  writeFileSync(
    `dist/bin/${name}.js`,
    `${SHIM_MARK} (scripts/bundle.js)\nimport { createRequire } from 'node:module';\ncreateRequire(import.meta.url)('./${name}.cjs');\n`,
  );
}

// What went into each bundle, for the tests that hold the daemon and keeper to their few dependencies.
// The full CLI's chunks are listed as one.
const inputs = {};
for (const r of results) {
  for (const [file, out] of Object.entries(r.metafile.outputs)) {
    const name = file.startsWith('dist/cli-bundle/') ? 'dist/cli-bundle/' : file;
    inputs[name] = [...new Set([...(inputs[name] ?? []), ...Object.keys(out.inputs)])].sort();
  }
}
writeFileSync('dist/bundle-inputs.json', `${JSON.stringify(inputs, null, 1)}\n`);
