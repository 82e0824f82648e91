import { fileURLToPath } from 'node:url';

// This module sits one folder below the package root both as dist/install-paths.js and inside the CLI's bundle
// (dist/sup-cli.cjs), so one relative URL finds the root from either; every path to sup's own files goes through here.
const ROOT = '../';

const FILES = {
  cli: 'bin/sup.cjs',
  daemon: 'dist/bin/sup-daemon.js',
  keeper: 'dist/bin/sup-keeper.js',
  watcher: 'dist/bin/sup-watcher.js',
  workerRuntime: 'dist/bin/sup-worker-runtime.js',
  appRuntime: 'dist/bin/sup-app-runtime.js',
  webPage: 'assets/web/dashboard.html',
  packageJson: 'package.json',
} as const;

/** The absolute path of one of sup's installed files. */
export function supFile(name: keyof typeof FILES): string {
  return fileURLToPath(new URL(ROOT + FILES[name], import.meta.url));
}
