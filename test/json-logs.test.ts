import { readFileSync } from 'node:fs';
import { describe, expect } from 'vitest';
import { fixture } from './harness/paths.js';
import { waitFor } from './harness/wait.js';
import { describeApp, homeEcosystem } from './helpers/apps.js';
import { it } from './helpers/sup-test.js';

interface JsonLine {
  message: unknown;
  timestamp: string;
  type: 'out' | 'err';
  process_id: number;
  app_name: string;
}

const parsed = (path: string): JsonLine[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JsonLine);

describe('log_type: "json"', () => {
  it("writes one JSON object per line with PM2's field names, keeping an app's own JSON as an object", async ({ sup }) => {
    await sup.ok(['start', homeEcosystem(sup, [{ name: 'js', script: fixture('json-lines.js'), log_type: 'json' }])]);
    const [p] = await describeApp(sup, 'js');
    const out = await waitFor('three lines in the out file', () => {
      const lines = parsed(p!.logs.out);
      return lines.length >= 2 ? lines : undefined;
    });
    expect(out).toEqual([
      {
        message: { level: 'info', msg: 'structured', n: 0 },
        timestamp: expect.any(String),
        type: 'out',
        process_id: p!.id,
        app_name: 'js',
      },
      { message: 'plain "quoted" text', timestamp: expect.any(String), type: 'out', process_id: p!.id, app_name: 'js' },
    ]);
    expect(Number.isNaN(Date.parse(out[0]!.timestamp))).toBe(false);
    const err = await waitFor('a line in the err file', () => parsed(p!.logs.err)[0]);
    expect(err).toMatchObject({ message: 'an error line', type: 'err', app_name: 'js' });
  });

  it('keeps whole objects in a file shared by instances (merge_logs)', async ({ sup }) => {
    await sup.ok([
      'start',
      homeEcosystem(sup, [
        { name: 'jm', script: fixture('json-lines.js'), log_type: 'json', instances: 3, exec_mode: 'fork', merge_logs: true },
      ]),
    ]);
    const described = await describeApp(sup, 'jm');
    expect(new Set(described.map((d) => d.logs.out)).size).toBe(1);
    const lines = await waitFor('six lines in the shared out file', () => {
      const all = parsed(described[0]!.logs.out);
      return all.length >= 6 ? all : undefined;
    });
    expect(new Set(lines.map((l) => l.process_id))).toEqual(new Set(described.map((d) => d.id)));
    expect(lines.filter((l) => l.message === 'plain "quoted" text')).toHaveLength(3);
  });
});
