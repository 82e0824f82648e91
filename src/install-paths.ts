import { fileURLToPath } from 'node:url';

// Every path to sup's own files goes through here. The root is one folder up from this module as tsc writes it
// (dist/install-paths.js); a bundle that contains it (scripts/bundle.js) says where the root is from the bundle's file.
declare const __SUP_ROOT__: string | undefined;
const root = (): string => (typeof __SUP_ROOT__ === 'string' ? __SUP_ROOT__ : '../');

const FILES = {
  cli: 'bin/sup.cjs',
  daemon: 'dist/bin/sup-daemon.cjs',
  keeper: 'dist/bin/sup-keeper.cjs',
  watcher: 'dist/bin/sup-watcher.js',
  workerRuntime: 'dist/bin/sup-worker-runtime.js',
  appRuntime: 'dist/bin/sup-app-runtime.js',
  webPage: 'assets/web/dashboard.html',
  packageJson: 'package.json',
} as const;

/** The absolute path of one of sup's installed files. */
export function supFile(name: keyof typeof FILES): string {
  return fileURLToPath(new URL(root() + FILES[name], import.meta.url));
}
