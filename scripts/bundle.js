// The CLI's fast path as one CommonJS file (dist/sup-cli.cjs), built from tsc's output. `sup list`, `ping`, `kill`
// and stop/restart/reload/delete of named apps (src/cli/fast-path.ts) load that one file instead of about twenty ES
// modules, and no ES module loader: most of what a call cost beyond `node -e 0`. Every other command loads
// dist/cli/main.js as tsc wrote it (its own copies of the modules it shares with the fast path), and so do the daemon,
// the keeper and the app runtimes. Packages stay outside the bundle.
import { build } from 'esbuild';

// Left out of the bundle, imported at run time from dist/ (the path rewritten from the bundle's folder, dist/).
const OUTSIDE = /\/cli\/main\.js$/;

await build({
  entryPoints: ['dist/bin/sup.js'],
  outfile: 'dist/sup-cli.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  // In CommonJS there is no import.meta: the bundle's own URL stands in (src/install-paths.ts is written for that).
  define: { 'import.meta.url': '__sup_bundle_url' },
  banner: { js: 'const __sup_bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [
    {
      name: 'outside',
      setup(b) {
        b.onResolve({ filter: OUTSIDE }, (args) => ({ path: args.path.replace(/^\.\.\//, './'), external: true }));
      },
    },
  ],
  logLevel: 'warning',
});
