import { describe, expect, it } from 'vitest';
import { HOOK_EVENTS } from '../config/app-config.js';
import { eventFilter } from './event-names.js';

describe('eventFilter', () => {
  it("shows every event without names, or with PM2's process:event", () => {
    expect([...eventFilter([])]).toEqual([...HOOK_EVENTS]);
    expect([...eventFilter(['process:event'])]).toEqual([...HOOK_EVENTS]);
  });

  it("takes sup's names and maps PM2's bus names", () => {
    expect([...eventFilter(['crash', 'restart overlimit'])]).toEqual(['crash', 'errored']);
    expect([...eventFilter(['process:exception'])]).toEqual(['crash']);
  });

  it('refuses an unknown name, listing the known ones', () => {
    expect(() => eventFilter(['log:out'])).toThrow(/unknown event "log:out"; expected one of start, online/);
  });
});
