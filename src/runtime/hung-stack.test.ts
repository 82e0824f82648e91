import { describe, expect, it } from 'vitest';
import { formatStack } from './hung-stack.js';

describe('formatStack', () => {
  it('writes frames as Node does, one-based, names and URLs filled in', () => {
    const frames = [
      { functionName: 'spin', url: '', location: { scriptId: '7', lineNumber: 0, columnNumber: 40 } },
      { functionName: '', url: 'file:///app.mjs', location: { scriptId: '8', lineNumber: 9, columnNumber: 2 } },
    ];
    expect(formatStack(frames, new Map([['7', '/srv/app.js']]))).toBe(
      '    at spin (/srv/app.js:1:41)\n    at <anonymous> (file:///app.mjs:10:3)',
    );
  });
});
