import { describe, expect, it } from 'vitest';
import type { Status } from '../../protocol/messages.js';
import { dependencyState } from './dependency-state.js';

const seen = (status: Status, status_reason: string | null = null, health: 'starting' | 'healthy' | null = null) => ({
  status,
  status_reason,
  health: health === null ? null : { status: health, failures: 0, last: null },
});

describe('dependencyState', () => {
  it('waits for every instance to be online', () => {
    expect(dependencyState('api', 'online', false, [seen('online'), seen('launching')])).toEqual({ kind: 'pending' });
    expect(dependencyState('api', 'online', false, [seen('online'), seen('online')])).toEqual({ kind: 'met' });
  });

  it('waits through a restart, and is blocked once the dependency gives up, with its reason', () => {
    expect(dependencyState('api', 'online', false, [seen('waiting-restart')])).toEqual({ kind: 'pending' });
    expect(dependencyState('api', 'online', false, [seen('errored', 'max_restarts is 16')])).toEqual({
      kind: 'blocked',
      reason: 'api is errored (max_restarts is 16)',
    });
  });

  it('waits for a one-shot task to complete, whatever the list form says, and is blocked when it failed', () => {
    expect(dependencyState('migrate', 'online', true, [seen('online')])).toEqual({ kind: 'pending' });
    expect(dependencyState('migrate', 'completed', true, [seen('completed')])).toEqual({ kind: 'met' });
    expect(dependencyState('migrate', 'completed', true, [seen('failed', 'one-shot task exited with code 1')])).toEqual({
      kind: 'blocked',
      reason: 'migrate failed (one-shot task exited with code 1)',
    });
  });

  it('is met by "started" as soon as the process runs', () => {
    expect(dependencyState('db', 'started', false, [seen('launching')])).toEqual({ kind: 'met' });
    expect(dependencyState('db', 'started', true, [seen('completed')])).toEqual({ kind: 'met' });
  });

  it('treats healthy as online without a health check, and waits for health with one', () => {
    expect(dependencyState('api', 'healthy', false, [seen('online')])).toEqual({ kind: 'met' });
    expect(dependencyState('api', 'healthy', false, [seen('online', null, 'starting')])).toEqual({ kind: 'pending' });
    expect(dependencyState('api', 'healthy', false, [seen('online', null, 'healthy')])).toEqual({ kind: 'met' });
  });

  it('is blocked by a stopped dependency, which will not start by itself', () => {
    expect(dependencyState('db', 'online', false, [seen('stopped')])).toEqual({ kind: 'blocked', reason: 'db is stopped' });
    expect(dependencyState('db', 'online', false, [])).toEqual({ kind: 'blocked', reason: 'db has no instances' });
  });
});
