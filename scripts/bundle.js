// sup's hot entry points as single files, built from tsc's output (dist/), so that a process loads one file instead
// of one per module (Node's ES module loader costs about a millisecond per module, the daemon had 220):
// - the CLI's fast path, dist/sup-cli.cjs, CommonJS (no ES module loader at all for `sup list`, `ping`, `kill` and
//   stop/restart/reload/delete of named apps, src/cli/fast-path.ts); every other command loads dist/cli/main.js as tsc
//   wrote it (with its own copies of the modules it shares with the fast path); packages stay outside;
// - the daemon and the keeper, dist/bin/sup-daemon.cjs and dist/bin/sup-keeper.cjs, CommonJS too, packages inside: a
//   keeper that loaded its code never reads sup's files again, so a `sup update` that replaces them cannot mix two
//   versions in it. CommonJS because an ES module's import of a Node module builds a facade of all its exports, which
//   runs the lazy getters (`fs` loads streams, fs/promises, readline): measured 0.9 MiB more PSS for the daemon.
//   tsc's entries (dist/bin/sup-daemon.js, sup-keeper.js: what older systemd units and keepers name) become shims
//   that load the bundles.
import { readFileSync, writeFileSync } from 'node:fs';
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

// Left out of the CLI's bundle, imported at run time from dist/ (the path rewritten from the bundle's folder, dist/).
const outsideCli = {
  name: 'outside',
  setup(b) {
    b.onResolve({ filter: /\/cli\/main\.js$/ }, (args) => ({ path: args.path.replace(/^\.\.\//, './'), external: true }));
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
const inputs = Object.fromEntries(
  results.flatMap((r) => Object.entries(r.metafile.outputs).map(([file, out]) => [file, Object.keys(out.inputs).sort()])),
);
writeFileSync('dist/bundle-inputs.json', `${JSON.stringify(inputs, null, 1)}\n`);
