import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTemplate, type InitFormat } from '../src/cli/init-templates.js';
import { ecosystemJsonSchema } from '../src/config/json-schema.js';
import { normalizeApps } from '../src/config/normalize.js';
import { SupError } from '../src/errors.js';
import { loadInNode } from './helpers/load-in-node.js';
import { makeTempDir, removeDir } from './helpers/sup-test.js';

/** The loader on real files, in a real Node process: every format gives the same apps, and every broken file says where. No daemon. */
const loadEcosystem = loadInNode;

const REPO = resolve(import.meta.dirname, '..');
let dir: string;

const DOC = {
  apps: [
    {
      name: 'web',
      script: './app.js',
      instances: 2,
      max_memory_restart: '200M',
      kill_timeout: '3s',
      env: { PORT: 3000, DEBUG: false },
      env_production: { NODE_ENV: 'production' },
    },
    { name: 'job', script: 'job.sh', cron_restart: '0 3 * * *', args: '--once --verbose' },
  ],
};

const YAML = `apps:
  - name: web
    script: ./app.js
    instances: 2
    max_memory_restart: 200M
    kill_timeout: 3s
    env:
      PORT: 3000
      DEBUG: false
    env_production:
      NODE_ENV: production
  - name: job
    script: job.sh
    cron_restart: "0 3 * * *"
    args: --once --verbose
`;

const JS = JSON.stringify(DOC, null, 2);

/** Each format, written the way people write it. */
const FORMATS: Record<string, string> = {
  'eco.json': JS,
  'eco.yaml': YAML,
  'eco.yml': YAML,
  'cjs/ecosystem.config.js': `module.exports = ${JS};\n`,
  'eco.config.cjs': `module.exports = ${JS};\n`,
  'eco.config.mjs': `export default ${JS};\n`,
  'named.config.mjs': `export const apps = ${JSON.stringify(DOC.apps)};\n`,
  'function.config.cjs': `module.exports = () => (${JS});\n`,
  'async.config.mjs': `export default async function () { await new Promise((r) => setTimeout(r, 5)); return ${JS}; }\n`,
  'promise.config.cjs': `module.exports = Promise.resolve(${JS});\n`,
};

beforeAll(() => {
  dir = makeTempDir();
  mkdirSync(join(dir, 'cjs'));
  // A PM2 project: CommonJS unless its package.json says otherwise.
  writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}');
  for (const sub of ['', 'cjs']) {
    writeFileSync(join(dir, sub, 'app.js'), 'setInterval(() => {}, 1000);\n');
    writeFileSync(join(dir, sub, 'job.sh'), 'echo done\n');
  }
  for (const [file, text] of Object.entries(FORMATS)) writeFileSync(join(dir, file), text);
});

afterAll(() => removeDir(dir));

async function load(file: string, envName?: string) {
  return loadEcosystem(join(dir, file), { envName });
}

async function loadError(file: string, text: string): Promise<string> {
  writeFileSync(join(dir, file), text);
  try {
    await loadEcosystem(join(dir, file));
  } catch (err) {
    expect(err).toBeInstanceOf(SupError);
    return (err as SupError).message;
  }
  throw new Error(`${file} loaded, but it should not`);
}

/** Paths differ by folder; everything else must be identical. */
function withoutPaths(apps: Awaited<ReturnType<typeof load>>['apps']) {
  return apps.map(({ script, cwd, ...rest }) => ({
    ...rest,
    script: script.split('/').pop(),
    cwd: cwd.split('/').pop() === 'cjs' ? '.' : '.',
  }));
}

describe('ecosystem formats', () => {
  it.each(Object.keys(FORMATS))('%s loads to the same normalized apps as the JSON file', async (file) => {
    const reference = withoutPaths((await load('eco.json', 'production')).apps);
    const { apps, warnings } = await load(file, 'production');
    expect(warnings).toEqual([]);
    expect(withoutPaths(apps)).toEqual(reference);
  });

  it('normalizes what each format gives: sizes, durations, env values as strings, args split', async () => {
    const [web, job] = (await load('eco.yaml', 'production')).apps;
    expect(web).toMatchObject({
      instances: 2,
      exec_mode: 'cluster',
      max_memory_restart: 200 * 1024 * 1024,
      kill_timeout: 3000,
      env: { PORT: '3000', DEBUG: 'false', NODE_ENV: 'production' },
    });
    expect(job).toMatchObject({ interpreter: 'bash', args: ['--once', '--verbose'], cron_restart: '0 3 * * *' });
  });

  it('loads a single app object as the only app', async () => {
    const { apps } = await loadEcosystem(join(dir, 'single.json')).catch(async () => {
      writeFileSync(join(dir, 'single.json'), JSON.stringify({ script: 'app.js', name: 'solo' }));
      return loadEcosystem(join(dir, 'single.json'));
    });
    expect(apps.map((a) => a.name)).toEqual(['solo']);
  });

  it('reads YAML merge keys and anchors (PM2 reads YAML with js-yaml, which resolves them)', async () => {
    const yaml =
      'base: &base\n  script: app.js\n  kill_timeout: 5s\napps:\n  - <<: *base\n    name: one\n  - <<: *base\n    name: two\n    kill_timeout: 1s\n';
    writeFileSync(join(dir, 'anchors.yaml'), yaml);
    const { apps, warnings } = await loadEcosystem(join(dir, 'anchors.yaml'));
    expect(warnings).toEqual([]);
    expect(apps.map((a) => [a.name, a.kill_timeout])).toEqual([
      ['one', 5000],
      ['two', 1000],
    ]);
  });

  it('warns about the top-level deploy section, and still loads the apps', async () => {
    writeFileSync(join(dir, 'deploy.json'), JSON.stringify({ apps: [{ script: 'app.js' }], deploy: { production: { user: 'x' } } }));
    const { apps, warnings } = await loadEcosystem(join(dir, 'deploy.json'));
    expect(apps).toHaveLength(1);
    expect(warnings).toEqual([`${join(dir, 'deploy.json')}: "deploy" is a PM2 section outside sup's scope and is ignored`]);
  });
});

describe('ecosystem files that do not load say where', () => {
  it('JSON: the line and column', async () => {
    const message = await loadError('bad.json', '{\n  "apps": [\n    { "script": "app.js" "name": "a" }\n  ]\n}\n');
    expect(message).toMatch(/bad\.json: invalid JSON at line 3, column \d+/);
  });

  it('JSON: comments, trailing commas and single quotes pass, as PM2 reads .json as JavaScript', async () => {
    writeFileSync(join(dir, 'loose.json'), "{\n  // the api\n  apps: [{ script: 'app.js', name: 'api', },],\n}\n");
    const { apps } = await loadEcosystem(join(dir, 'loose.json'));
    expect(apps.map((a) => a.name)).toEqual(['api']);
  });

  it('YAML: the line and column', async () => {
    const message = await loadError('bad.yaml', 'apps:\n  - script: app.js\n    name: [unclosed\n');
    expect(message).toMatch(/bad\.yaml: invalid YAML at line \d+, column \d+/);
  });

  it('YAML: a key written twice', async () => {
    const message = await loadError('twice.yaml', 'apps:\n  - script: app.js\n    name: a\n    name: b\n');
    expect(message).toMatch(/twice\.yaml: invalid YAML at line 4/);
    expect(message).toMatch(/unique/i);
  });

  it('CommonJS: the line, the code and a caret', async () => {
    const message = await loadError('bad.config.js', 'module.exports = {\n  apps: [\n    { script: "app.js" ,, }\n  ]\n};\n');
    expect(message).toContain('bad.config.js: syntax error at line 3: Unexpected token');
    expect(message).toContain('{ script: "app.js" ,, }');
    expect(message).toContain('^');
  });

  it('ES module: the line too (Node gives none for ESM; sup asks `node --check`)', async () => {
    const message = await loadError('bad.config.mjs', 'export default {\n  apps: [ { name: "a" script: "app.js" } ]\n};\n');
    expect(message).toContain('bad.config.mjs: syntax error at line 2');
    expect(message).toContain("Unexpected identifier 'script'");
  });

  it('a module the file imports that is missing: that module, not the file, is named', async () => {
    const message = await loadError('imports.config.mjs', "import './missing-shared.mjs';\nexport default { apps: [] };\n");
    expect(message).toMatch(/imports\.config\.mjs: failed to load: .*missing-shared\.mjs/);
  });

  it('an exception while the file runs: the message and the line', async () => {
    const message = await loadError('throws.config.js', 'const x = 1;\nthrow new Error("no DATABASE_URL");\n');
    expect(message).toMatch(/throws\.config\.js: failed to load: no DATABASE_URL \(line 2\)/);
  });

  it('an exported function that throws, and a rejected promise', async () => {
    expect(await loadError('fn.config.cjs', 'module.exports = () => { throw new Error("boom"); };\n')).toMatch(
      /fn\.config\.cjs: its exported function failed: boom \(line 1\)/,
    );
    expect(await loadError('rejects.config.cjs', 'module.exports = Promise.reject(new Error("nope"));\n')).toMatch(
      /rejects\.config\.cjs: its exported promise failed: nope/,
    );
  });

  it('module.exports in a package that says "type": "module": what to do about it', async () => {
    mkdirSync(join(dir, 'esm'), { recursive: true });
    writeFileSync(join(dir, 'esm', 'package.json'), '{"type":"module"}');
    writeFileSync(join(dir, 'esm', 'ecosystem.config.js'), 'module.exports = { apps: [] };\n');
    const message = await loadEcosystem(join(dir, 'esm', 'ecosystem.config.js')).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(message).toMatch(
      /uses module\.exports, but its package\.json says "type": "module"; rename it to \.cjs or use `export default`/,
    );
  });

  it('a file that exports nothing', async () => {
    expect(await loadError('empty.config.mjs', 'const apps = [];\n')).toMatch(/empty\.config\.mjs: exports nothing/);
    expect(await loadError('empty.yaml', '')).toMatch(/empty\.yaml: the file defines no apps/);
  });

  it('a missing file', async () => {
    const message = await loadEcosystem(join(dir, 'nope.config.js')).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(message).toBe(`${join(dir, 'nope.config.js')}: no such file`);
  });
});

describe('env_file', () => {
  it('loads the dotenv file under the app env, which wins on a conflict', async () => {
    writeFileSync(join(dir, '.env'), '# comment\nDB_URL="postgres://x"\nSHARED=from-file\nexport EXPORTED=yes\n');
    writeFileSync(
      join(dir, 'envfile.json'),
      JSON.stringify({ apps: [{ script: 'app.js', env_file: '.env', env: { SHARED: 'from-env' } }] }),
    );
    const [app] = (await loadEcosystem(join(dir, 'envfile.json'))).apps;
    expect(app!.env).toMatchObject({ DB_URL: 'postgres://x', SHARED: 'from-env' });
    expect(app!.env_file).toBe(join(dir, '.env'));
  });

  it('a missing env file is an error naming the app and the path', async () => {
    writeFileSync(join(dir, 'noenv.json'), JSON.stringify({ apps: [{ name: 'api', script: 'app.js', env_file: 'missing.env' }] }));
    const message = await loadEcosystem(join(dir, 'noenv.json')).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(message).toBe(`${join(dir, 'noenv.json')}: app "api": env_file not found: ${join(dir, 'missing.env')}`);
  });
});

describe('command lines and PM2 spellings, through the loader', () => {
  it('splits "npm run start" into a program and its arguments, and keeps "node server.js" a Node script', async () => {
    writeFileSync(join(dir, 'server.js'), '');
    writeFileSync(
      join(dir, 'cmd.json'),
      JSON.stringify({
        apps: [
          { name: 'npm', script: 'npm run start' },
          { name: 'srv', script: 'node server.js --port 1' },
        ],
      }),
    );
    const [npm, srv] = (await loadEcosystem(join(dir, 'cmd.json'), { checkRunnable: false })).apps;
    expect(npm).toMatchObject({ script: 'npm', args: ['run', 'start'], interpreter: 'none' });
    expect(srv).toMatchObject({ script: join(dir, 'server.js'), args: ['--port', '1'], interpreter: 'node' });
  });

  it('keeps a file whose name has spaces a file', async () => {
    writeFileSync(join(dir, 'my app.js'), '');
    writeFileSync(join(dir, 'spaces.json'), JSON.stringify({ apps: [{ script: 'my app.js' }] }));
    const [app] = (await loadEcosystem(join(dir, 'spaces.json'))).apps;
    expect(app).toMatchObject({ script: join(dir, 'my app.js'), name: 'my-app', args: [] });
  });

  it('runs an extensionless script whose #! line names node with node (cluster mode works for bin/www)', async () => {
    mkdirSync(join(dir, 'bin'), { recursive: true });
    writeFileSync(join(dir, 'bin', 'www'), '#!/usr/bin/env node\nrequire("http").createServer().listen(0);\n');
    chmodSync(join(dir, 'bin', 'www'), 0o755);
    writeFileSync(
      join(dir, 'www.json'),
      JSON.stringify({ apps: [{ name: 'www', script: './bin/www', instances: 2, exec_mode: 'cluster' }] }),
    );
    const [app] = (await loadEcosystem(join(dir, 'www.json'))).apps;
    expect(app).toMatchObject({ interpreter: 'node', exec_mode: 'cluster', instances: 2 });
  });

  it('finds a bare program name in the app folder before PATH', async () => {
    writeFileSync(join(dir, 'tool'), '#!/bin/sh\nsleep 1000\n');
    chmodSync(join(dir, 'tool'), 0o755);
    writeFileSync(join(dir, 'tool.json'), JSON.stringify({ apps: [{ script: 'tool' }] }));
    const [app] = (await loadEcosystem(join(dir, 'tool.json'))).apps;
    expect(app!.script).toBe(join(dir, 'tool'));
  });
});

describe('the JSON Schema for editors', () => {
  const schema = ecosystemJsonSchema();
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

  it('is the file shipped in the repo (run `npm run schema` after changing a field)', () => {
    expect(JSON.parse(readFileSync(join(REPO, 'ecosystem.schema.json'), 'utf8'))).toEqual(schema);
  });

  it('accepts ecosystem.example.json, which references it with $schema', () => {
    const example = JSON.parse(readFileSync(join(REPO, 'ecosystem.example.json'), 'utf8')) as { $schema: string };
    expect(example.$schema).toBe('./ecosystem.schema.json');
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts every format of the test document, env blocks and ignored PM2 keys included', () => {
    expect(validate({ ...DOC, apps: [...DOC.apps, { script: 'a.js', deploy: {}, env_staging: { A: 1 } }] })).toBe(true);
    expect(validate({ script: 'a.js', instances: 'max' })).toBe(true);
  });

  it('accepts env_file as a path and PM2 spellings, as the loader does', () => {
    expect(
      validate({ apps: [{ script: 'a.js', env_file: '.env', output: 'o.log', err: 'e.log', cron: '0 * * * *' }] }),
      JSON.stringify(validate.errors),
    ).toBe(true);
  });

  it('rejects what the loader rejects: a misspelled key, a wrong type, a missing script', () => {
    expect(validate({ apps: [{ script: 'a.js', max_memory_restrat: '1G' }] })).toBe(false);
    expect(validate({ apps: [{ script: 'a.js', autorestart: 'yes' }] })).toBe(false);
    expect(validate({ apps: [{ name: 'a' }] })).toBe(false);
  });

  it('describes every key with its meaning, what it expects and its default', () => {
    const app = (schema.definitions as { app: { properties: Record<string, { description?: string; default?: unknown }> } }).app;
    expect(app.properties.kill_timeout).toMatchObject({ default: 1600 });
    expect(app.properties.kill_timeout!.description).toMatch(/SIGKILL.*Expected: a duration/);
    const undocumented = Object.entries(app.properties).filter(([key, p]) => key !== '$schema' && !p.description);
    expect(undocumented).toEqual([]);
  });
});

describe('sup init templates', () => {
  it.each<[InitFormat, string]>([
    ['js', 'ecosystem.config.js'],
    ['cjs', 'ecosystem.config.cjs'],
    ['mjs', 'ecosystem.config.mjs'],
    ['json', 'ecosystem.config.json'],
    ['yaml', 'ecosystem.config.yaml'],
  ])('%s: loads to one runnable app with env_production', async (format, file) => {
    const folder = join(dir, `init-${format}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'package.json'), '{"type":"commonjs"}');
    writeFileSync(join(folder, 'server.js'), '');
    writeFileSync(join(folder, file), initTemplate(format, 'my-api', './server.js', file));
    const { apps, warnings } = await loadEcosystem(join(folder, file), { envName: 'production' });
    expect(warnings).toEqual([]);
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({ name: 'my-api', script: join(folder, 'server.js'), env: { NODE_ENV: 'production' } });
  });

  it('the JSON template satisfies the schema', () => {
    const validate = new Ajv({ strict: false }).compile(ecosystemJsonSchema());
    expect(validate(JSON.parse(initTemplate('json', 'x', './x.js', 'ecosystem.config.json')))).toBe(true);
  });

  it('js in a "type": "module" package: an ES module that loads', async () => {
    const folder = join(dir, 'init-esm');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'package.json'), '{"type":"module"}');
    writeFileSync(join(folder, 'server.js'), '');
    writeFileSync(join(folder, 'ecosystem.config.js'), initTemplate('js', 'esm-app', './server.js', 'ecosystem.config.js', true));
    const { apps } = await loadEcosystem(join(folder, 'ecosystem.config.js'));
    expect(apps.map((a) => a.name)).toEqual(['esm-app']);
  });
});

describe('normalizeApps: PM2 spellings', () => {
  const ctx = { source: 'eco.json', baseDir: '/srv', cpuCount: 4 };
  it.each([
    ['output', 'out_file'],
    ['out', 'out_file'],
    ['error', 'error_file'],
    ['err_log', 'error_file'],
    ['log', 'log_file'],
  ])('reads %s as %s', (alias, key) => {
    const [app] = normalizeApps({ script: 'a.js', [alias]: 'x.log' }, ctx).apps;
    expect(app![key as 'out_file']).toBe('/srv/x.log');
  });

  it('reads cron as cron_restart and exec_interpreter as interpreter', () => {
    const [app] = normalizeApps({ script: 'a.py', cron: '0 * * * *', exec_interpreter: 'python3.12' }, ctx).apps;
    expect(app).toMatchObject({ cron_restart: '0 * * * *', interpreter: 'python3.12' });
  });

  it('refuses an alias given together with its key', () => {
    expect(() => normalizeApps({ script: 'a.js', output: 'a.log', out_file: 'b.log' }, ctx)).toThrow(
      'eco.json: apps[0]: "output" and "out_file" mean the same; keep one',
    );
  });

  it('takes port as env.PORT, over env as PM2 does, and 0 as none', () => {
    expect(normalizeApps({ script: 'a.js', port: 8080 }, ctx).apps[0]!.env).toEqual({ PORT: '8080' });
    expect(normalizeApps({ script: 'a.js', port: 8080, env: { PORT: '1' } }, ctx).apps[0]!.env).toEqual({ PORT: '8080' });
    expect(normalizeApps({ script: 'a.js', port: 0, env: { PORT: '1' } }, ctx).apps[0]!.env).toEqual({ PORT: '1' });
  });

  it('reads exec as script', () => {
    expect(normalizeApps({ exec: 'a.js' }, ctx).apps[0]!.script).toBe('/srv/a.js');
  });

  it.each(['uid', 'gid', 'user'])('takes %s as PM2 does, and names an account this machine does not have', (key) => {
    expect(() => normalizeApps({ script: 'a.js', [key]: 'no-such-account-here' }, ctx)).toThrow(
      `eco.json: apps[0]: ${key === 'gid' ? 'gid' : 'uid'} "no-such-account-here" is no`,
    );
    expect(normalizeApps({ script: 'a.js', [key]: 0 }, ctx).apps[0]).toMatchObject({ [key === 'gid' ? 'gid' : 'uid']: 0 });
  });

  it('warns when --env names a block no app has', () => {
    const { warnings } = normalizeApps({ apps: [{ script: 'a.js', env_production: {} }] }, { ...ctx, envName: 'prod' });
    expect(warnings).toEqual(['eco.json: --env prod: no app has an "env_prod" block']);
    expect(normalizeApps({ apps: [{ script: 'a.js', env_production: {} }] }, { ...ctx, envName: 'production' }).warnings).toEqual([]);
  });

  it('takes "NULL" as a log file for /dev/null and cron_restart 0 as no schedule', () => {
    const [app] = normalizeApps({ script: 'a.js', out_file: 'NULL', error_file: 'NULL', cron_restart: 0 }, ctx).apps;
    expect(app).toMatchObject({ out_file: '/dev/null', error_file: '/dev/null', cron_restart: null });
  });
});
