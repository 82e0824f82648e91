import { describe, expect, it } from 'vitest';
import { splitCommandLine } from './pm2-compat.js';

const noFile = (path: string) => path === '/bin/bash';

describe('splitCommandLine (a command line given as the script)', () => {
  it('splits a plain command into program and arguments; "node x.js" keeps x.js as the script', () => {
    expect(splitCommandLine('npm run start', undefined, noFile)).toEqual({ script: 'npm', args: ['run', 'start'] });
    expect(splitCommandLine('node server.js --port 3', ['-v'], noFile)).toEqual({ script: 'server.js', args: ['--port', '3', '-v'] });
    expect(splitCommandLine("node -e 'setTimeout(() => {}, 1000)'", undefined, noFile)).toEqual({
      script: 'node',
      args: ['-e', 'setTimeout(() => {}, 1000)'],
    });
  });

  it('hands what needs a shell to bash -c, as PM2 does (sh without bash)', () => {
    for (const line of ['cc hello.c; ./a.out', 'node a.js | tee x', 'echo $HOME', 'FOO=1 node a.js', 'node a.js > out.txt']) {
      expect(splitCommandLine(line, undefined, noFile)).toEqual({ script: 'bash', args: ['-c', line] });
    }
    expect(splitCommandLine('a && b', undefined, () => false)).toEqual({ script: 'sh', args: ['-c', 'a && b'] });
  });

  it('leaves a file with spaces in its name, and a lone word, alone', () => {
    expect(splitCommandLine('my app.js', undefined, (p) => p === 'my app.js')).toEqual({ script: 'my app.js', args: undefined });
    expect(splitCommandLine('app.js', ['x'], noFile)).toEqual({ script: 'app.js', args: ['x'] });
  });
});
