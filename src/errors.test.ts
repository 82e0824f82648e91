import { describe, expect, it } from 'vitest';
import { isSupError, SupError } from './errors.js';

describe('isSupError', () => {
  it('knows a SupError, from this copy of the module or another (the CLI bundle carries its own)', () => {
    expect(isSupError(new SupError('USAGE', 'x'))).toBe(true);
    const fromAnotherCopy = Object.assign(new Error('x'), { code: 'USAGE', [Symbol.for('sup.SupError')]: true });
    expect(isSupError(fromAnotherCopy)).toBe(true);
  });

  it('takes no other error for one, even with a code', () => {
    expect(isSupError(Object.assign(new Error('x'), { code: 'USAGE' }))).toBe(false);
    expect(isSupError({ code: 'USAGE', message: 'x' })).toBe(false);
    expect(isSupError(undefined)).toBe(false);
  });
});
