import { describe, expect, it } from 'vitest';
import type { KeptChild } from '../../protocol/keeper.js';
import { heldByKey, type SavedApps } from './saved-apps.js';

const child = (app: string, id: number): KeptChild =>
  ({
    key: id + 1,
    tag: { app, id, index: 0 },
    pid: 100 + id,
    mode: 'fork',
    startedAt: 0,
    listening: false,
    ready: false,
    ipc: true,
  }) as KeptChild;
const saved = (apps: [string, number[]][]): SavedApps =>
  ({
    next_id: 9,
    envs: [],
    apps: apps.map(([name, ids]) => ({ config: { name }, instances: ids.map((id) => ({ id })) })),
  }) as unknown as SavedApps;

describe('heldByKey (which saved instance a process the keeper holds is)', () => {
  it('matches by app name and id', () => {
    expect([
      ...heldByKey(
        [child('api', 0), child('web', 1)],
        saved([
          ['api', [0]],
          ['web', [1]],
        ]),
      ).keys(),
    ]).toEqual(['api#0', 'web#1']);
  });

  it('takes a process of a renamed app (its old name gone from the state) by its id', () => {
    expect([...heldByKey([child('old', 3)], saved([['new', [3]]])).keys()]).toEqual(['new#3']);
  });

  it('never moves a process to another app whose name the state still has', () => {
    expect([
      ...heldByKey(
        [child('api', 3)],
        saved([
          ['api', [4]],
          ['web', [3]],
        ]),
      ).keys(),
    ]).toEqual(['api#3']);
    expect([...heldByKey([child('api', 3)], undefined).keys()]).toEqual(['api#3']);
  });
});
