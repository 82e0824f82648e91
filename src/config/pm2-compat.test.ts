import { describe, expect, it } from 'vitest';
import { needsShell, splitCommandLine } from './pm2-compat.js';

const bash = (path: string) => path === '/bin/bash';

describe('splitCommandLine (a command line given as the script)', () => {
  it('splits a plain command into program and arguments, quotes read as sh reads them; "node x.js" keeps x.js as the script', () => {
    expect(splitCommandLine('npm run start', undefined, bash)).toEqual({ script: 'npm', args: ['run', 'start'] });
    expect(splitCommandLine('node server.js --port 3', ['-v'], bash)).toEqual({ script: 'server.js', args: ['--port', '3', '-v'] });
    expect(splitCommandLine("node app.js --title 'x y'", undefined, bash)).toEqual({ script: 'app.js', args: ['--title', 'x y'] });
  });

  it('hands what needs a shell to bash -c, as PM2 does (sh without bash), the args as its "$@"', () => {
    for (const line of ['cc hello.c; ./a.out', 'node a.js | tee x', 'echo $HOME', 'FOO=1 node a.js', 'node a.js > out.txt', 'a\nb']) {
      expect(splitCommandLine(line, undefined, bash)).toEqual({ script: '/bin/bash', args: ['-c', line, 'bash'], shell: true });
    }
    expect(splitCommandLine('a && b', ['x'], () => false)).toEqual({ script: '/bin/sh', args: ['-c', 'a && b', 'sh', 'x'], shell: true });
  });

  it('leaves a file with spaces in its name, and a lone word, alone', () => {
    expect(splitCommandLine('my app.js', undefined, (p) => p === 'my app.js')).toEqual({ script: 'my app.js', args: undefined });
    expect(splitCommandLine('app.js', ['x'], bash)).toEqual({ script: 'app.js', args: ['x'] });
  });
});

describe('needsShell', () => {
  it('follows quotes: operators inside single quotes are text, expansions inside double quotes are not', () => {
    expect(needsShell("node -e 'a && b; c | d'")).toBe(false);
    expect(needsShell('echo "a; b"')).toBe(false);
    expect(needsShell('echo "$HOME"')).toBe(true);
    expect(needsShell(`echo "don't" && echo "won't"`)).toBe(true);
    expect(needsShell("echo 'unclosed")).toBe(true);
  });
});
