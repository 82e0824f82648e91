import { describe, expect, it } from 'vitest';
import { watchMatcher } from './watch-matcher.js';

const APP = '/srv/app';
const DEFAULT_IGNORE = ['node_modules', '.git'];

describe('watchMatcher', () => {
  it('watches a plain directory and triggers on anything below it', () => {
    const m = watchMatcher([`${APP}/src`], [], APP, []);
    expect(m.roots).toEqual([`${APP}/src`]);
    expect(m.isTrigger(`${APP}/src`)).toBe(true);
    expect(m.isTrigger(`${APP}/src/index.js`)).toBe(true);
    expect(m.isTrigger(`${APP}/src/deep/er/file.json`)).toBe(true);
    // A sibling that only shares the prefix is not below the root.
    expect(m.isTrigger(`${APP}/src-old/index.js`)).toBe(false);
    expect(m.isTrigger(`${APP}/lib/index.js`)).toBe(false);
  });

  it('watches several roots at once', () => {
    const m = watchMatcher([`${APP}/src`, `${APP}/config.json`], [], APP, []);
    expect(m.roots).toEqual([`${APP}/src`, `${APP}/config.json`]);
    expect(m.isTrigger(`${APP}/src/a.js`)).toBe(true);
    expect(m.isTrigger(`${APP}/config.json`)).toBe(true);
    expect(m.isTrigger(`${APP}/other.json`)).toBe(false);
  });

  it('watches a glob from its static base and triggers only on matching files', () => {
    const m = watchMatcher([`${APP}/src/**/*.ts`], [], APP, []);
    expect(m.roots).toEqual([`${APP}/src`]);
    expect(m.isTrigger(`${APP}/src/index.ts`)).toBe(true);
    expect(m.isTrigger(`${APP}/src/a/b/c.ts`)).toBe(true);
    expect(m.isTrigger(`${APP}/src/.hidden/c.ts`)).toBe(true);
    expect(m.isTrigger(`${APP}/src/index.js`)).toBe(false);
    expect(m.isTrigger(`${APP}/src/a/readme.md`)).toBe(false);
    expect(m.isTrigger(`${APP}/lib/index.ts`)).toBe(false);
  });

  it('ignores a bare name (node_modules, .git) at any depth below a watch root', () => {
    const m = watchMatcher([APP], DEFAULT_IGNORE, APP, []);
    for (const path of [
      `${APP}/node_modules`,
      `${APP}/node_modules/x/y.js`,
      `${APP}/packages/a/node_modules/dep/index.js`,
      `${APP}/.git`,
      `${APP}/.git/HEAD`,
      `${APP}/a/.git/HEAD`,
    ]) {
      expect(m.isIgnored(path), path).toBe(true);
      expect(m.isTrigger(path), path).toBe(false);
    }
    // Only whole path segments count.
    for (const path of [`${APP}/node_modules_old/y.js`, `${APP}/my.git/HEAD`, `${APP}/src/git.js`]) {
      expect(m.isIgnored(path), path).toBe(false);
      expect(m.isTrigger(path), path).toBe(true);
    }
  });

  it('still watches a root that itself lies under a folder named like a bare ignore', () => {
    const root = '/work/node_modules/my-linked-pkg';
    const m = watchMatcher([root], DEFAULT_IGNORE, root, []);
    expect(m.isIgnored(`${root}/index.js`)).toBe(false);
    expect(m.isTrigger(`${root}/index.js`)).toBe(true);
    expect(m.isTrigger(`${root}/lib/a.js`)).toBe(true);
    // ...while the names still apply below that root.
    expect(m.isTrigger(`${root}/node_modules/dep/a.js`)).toBe(false);

    const hooks = '/repo/.git/hooks';
    const g = watchMatcher([hooks], DEFAULT_IGNORE, '/repo', []);
    expect(g.isTrigger(`${hooks}/pre-commit`)).toBe(true);
  });

  // Bare names count below the innermost root holding the path, whatever the order of the list.
  it('watches a folder inside node_modules that is listed explicitly, whatever the order of the list', () => {
    const pkg = `${APP}/node_modules/my-linked-pkg`;
    for (const watch of [
      [pkg, APP],
      [APP, pkg],
    ]) {
      const m = watchMatcher(watch, DEFAULT_IGNORE, APP, []);
      expect(m.isTrigger(`${pkg}/index.js`), watch.join(', ')).toBe(true);
    }
  });

  it('treats other ignore patterns as globs relative to cwd, matching the path and everything under it', () => {
    const m = watchMatcher([APP], ['dist/**', '*.log', 'tmp/cache'], APP, []);
    for (const path of [
      `${APP}/dist`,
      `${APP}/dist/a.js`,
      `${APP}/dist/x/y.js`,
      `${APP}/out.log`,
      `${APP}/tmp/cache`,
      `${APP}/tmp/cache/a/b.bin`,
    ]) {
      expect(m.isIgnored(path), path).toBe(true);
      expect(m.isTrigger(path), path).toBe(false);
    }
    // Relative to cwd: "*.log" is the top level only, "dist/**" is not "distant", "tmp/cache" is not all of tmp.
    for (const path of [`${APP}/logs/out.log`, `${APP}/distant/a.js`, `${APP}/tmp/other.js`, `${APP}/index.js`]) {
      expect(m.isIgnored(path), path).toBe(false);
      expect(m.isTrigger(path), path).toBe(true);
    }
  });

  it('resolves glob ignores against cwd, not against the watch root', () => {
    const m = watchMatcher([`${APP}/src`], ['src/generated/**'], APP, []);
    expect(m.isTrigger(`${APP}/src/generated/types.js`)).toBe(false);
    expect(m.isTrigger(`${APP}/src/index.js`)).toBe(true);
  });

  it('accepts absolute ignore patterns', () => {
    const m = watchMatcher([APP], ['/srv/app/uploads'], APP, []);
    expect(m.isTrigger(`${APP}/uploads/photo.jpg`)).toBe(false);
    expect(m.isTrigger(`${APP}/index.js`)).toBe(true);
  });

  it('always ignores its own log files and the logs folder, with everything below them', () => {
    const logs = '/home/u/.sup/logs';
    const m = watchMatcher([APP, '/home/u'], [], APP, [logs, `${APP}/out.log`, `${APP}/err.log`]);
    for (const path of [`${APP}/out.log`, `${APP}/err.log`, logs, `${logs}/app-out.log`, `${logs}/sub/deeper.log`]) {
      expect(m.isIgnored(path), path).toBe(true);
      expect(m.isTrigger(path), path).toBe(false);
    }
    // Only those exact files: a neighbour with a longer name is the app's own business.
    expect(m.isTrigger(`${APP}/out.log.bak`)).toBe(true);
    expect(m.isTrigger('/home/u/.sup/logs-old/x.log')).toBe(true);
  });

  it('never triggers on a file outside every root', () => {
    const m = watchMatcher([`${APP}/src`, `${APP}/lib/**/*.js`], DEFAULT_IGNORE, APP, []);
    for (const path of ['/etc/passwd', `${APP}/index.js`, `${APP}/package.json`, '/srv/other/src/a.js', '/srv/app2/src/a.js']) {
      expect(m.isIgnored(path), path).toBe(false);
      expect(m.isTrigger(path), path).toBe(false);
    }
  });
});
