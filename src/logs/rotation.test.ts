import { describe, expect, it } from 'vitest';
import { lineBoundary, rotatedName, shiftPlan } from './rotation.js';

const LOG = '/logs/app-out.log';

/** Carries a plan out on a set of names, failing if a rename would overwrite or a source is missing. */
function apply(files: Set<string>, plan: ReturnType<typeof shiftPlan>): Set<string> {
  const after = new Set(files);
  for (const name of plan.remove) {
    expect(after.has(name), `remove ${name}`).toBe(true);
    after.delete(name);
  }
  for (const [from, to] of plan.renames) {
    expect(after.has(from), `rename from ${from}`).toBe(true);
    expect(after.has(to), `rename ${from} onto existing ${to}`).toBe(false);
    after.delete(from);
    after.add(to);
  }
  return after;
}

describe('rotatedName', () => {
  it('numbers rotated files after the name, with .gz when compressed', () => {
    expect(rotatedName(LOG, 1, false)).toBe('/logs/app-out.log.1');
    expect(rotatedName(LOG, 12, false)).toBe('/logs/app-out.log.12');
    expect(rotatedName(LOG, 3, true)).toBe('/logs/app-out.log.3.gz');
  });
});

describe('shiftPlan', () => {
  it('has nothing to do before the first rotation', () => {
    expect(shiftPlan(LOG, 5, () => false)).toEqual({ remove: [], renames: [] });
  });

  it('shifts every rotated file up by one, highest first, and deletes the one at retain', () => {
    const files = new Set([1, 2, 3].map((n) => rotatedName(LOG, n, false)));
    const plan = shiftPlan(LOG, 3, (n) => files.has(n));
    expect(plan).toEqual({
      remove: [`${LOG}.3`],
      renames: [
        [`${LOG}.2`, `${LOG}.3`],
        [`${LOG}.1`, `${LOG}.2`],
      ],
    });
    // After the plan, .1 is free for the file being rotated.
    expect([...apply(files, plan)].sort()).toEqual([`${LOG}.2`, `${LOG}.3`]);
  });

  it('shifts compressed and plain files alike (log_compress turned on or off between rotations)', () => {
    const files = new Set([`${LOG}.1.gz`, `${LOG}.2`, `${LOG}.3.gz`, `${LOG}.4.gz`]);
    const plan = shiftPlan(LOG, 4, (n) => files.has(n));
    expect(plan.remove).toEqual([`${LOG}.4.gz`]);
    expect([...apply(files, plan)].sort()).toEqual([`${LOG}.2.gz`, `${LOG}.3`, `${LOG}.4.gz`]);
  });

  it('with retain 1 deletes the only rotated file and renames nothing', () => {
    const files = new Set([`${LOG}.1`, `${LOG}.1.gz`]);
    const plan = shiftPlan(LOG, 1, (n) => files.has(n));
    expect(plan).toEqual({ remove: [`${LOG}.1`, `${LOG}.1.gz`], renames: [] });
  });

  it('never overwrites a file, whatever the gaps among the rotated files', () => {
    const retain = 6;
    // Every subset of .1 … .6 (plain): 64 cases.
    for (let mask = 0; mask < 1 << retain; mask++) {
      const files = new Set<string>();
      for (let n = 1; n <= retain; n++) if (mask & (1 << (n - 1))) files.add(rotatedName(LOG, n, false));
      const after = apply(
        files,
        shiftPlan(LOG, retain, (n) => files.has(n)),
      );
      const expected = [...files]
        .map((f) => Number(f.slice(LOG.length + 1)))
        .filter((n) => n < retain)
        .map((n) => rotatedName(LOG, n + 1, false));
      expect([...after].sort()).toEqual(expected.sort());
      expect(after.has(rotatedName(LOG, 1, false))).toBe(false);
    }
  });

  it('only asks about the names of this file', () => {
    const asked: string[] = [];
    shiftPlan(LOG, 3, (n) => (asked.push(n), false));
    expect(asked.every((n) => n.startsWith(`${LOG}.`))).toBe(true);
    expect(new Set(asked)).toEqual(new Set([1, 2, 3].flatMap((n) => [rotatedName(LOG, n, false), rotatedName(LOG, n, true)])));
  });
});

describe('lineBoundary', () => {
  it('cuts just past the last newline', () => {
    expect(lineBoundary(Buffer.from('a\nb\nc'))).toBe(4);
    expect(lineBoundary(Buffer.from('a\nb\n'))).toBe(4);
    expect(lineBoundary(Buffer.from('\n'))).toBe(1);
  });

  it('has no boundary in a chunk without a newline', () => {
    expect(lineBoundary(Buffer.from('no newline'))).toBe(-1);
    expect(lineBoundary(Buffer.alloc(0))).toBe(-1);
  });

  it('finds the newline byte among bytes that are not UTF-8', () => {
    expect(lineBoundary(Buffer.from([0xff, 0x0a, 0xc3]))).toBe(2);
  });
});
