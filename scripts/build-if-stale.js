// `npm test` builds first, but `npm install` (its prepare script) has just built: builds only when a source file, a
// folder of them (a file added or removed), a tsconfig, package.json or the lock file is newer than the last build's
// start, as make would. `--begin` marks a build's start, `--done` makes it the last build (a failed one never is).
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [BUILDING, BUILT] = ['dist/.building', 'dist/.built'];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function builtAt() {
  try {
    return statSync(BUILT).mtimeMs;
  } catch {
    return -1;
  }
}

const command = process.argv[2];
if (command === '--begin') {
  mkdirSync('dist', { recursive: true });
  writeFileSync(BUILDING, `${new Date().toISOString()}\n`);
} else if (command === '--done') {
  renameSync(BUILDING, BUILT); // keeps the start's mtime: a source saved during the build is newer
} else {
  const inputs = ['src', 'scripts/bundle.js', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
  if (builtAt() < Math.max(...inputs.map(newest))) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
  else console.log('dist is up to date (npm run build rebuilds it anyway)');
}
