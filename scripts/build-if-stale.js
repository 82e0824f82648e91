// `npm test` builds first, but `npm install` (its prepare script) has just built: builds only when a source file, a
// tsconfig or package.json is newer than the last build (dist/.built, written after a build), as make would.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/.built';

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

function builtAt() {
  try {
    return statSync(STAMP).mtimeMs;
  } catch {
    return -1;
  }
}

const sources = Math.max(newest('src'), ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map(newest));
if (process.argv[2] === '--stamp') writeFileSync(STAMP, `${new Date().toISOString()}\n`);
else if (builtAt() < sources) execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
else console.log('dist is up to date (npm run build rebuilds it anyway)');
