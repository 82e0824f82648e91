import { describe, expect, it } from 'vitest';
import { parseJsonText } from './read-ecosystem.js';

describe('parseJsonText (.json ecosystem files, read as PM2 reads them)', () => {
  it('takes JSON5: comments, trailing commas, unquoted keys, single quotes', () => {
    expect(parseJsonText("{ apps: [{ name: 'a', script: 'a.js', }, ], // x\n}", 'f.json')).toEqual({
      apps: [{ name: 'a', script: 'a.js' }],
    });
  });

  it('evaluates what only JavaScript reads, as PM2 does, into plain data', () => {
    const doc = parseJsonText('{ "apps": [{ "name": "echo", "script": [".", "/", "e", "cho.js"].join("") }] }', 'f.json') as {
      apps: object[];
    };
    expect(doc).toEqual({ apps: [{ name: 'echo', script: './echo.js' }] });
    expect(Object.getPrototypeOf(doc.apps)).toBe(Array.prototype);
  });

  it('names the line and column of a real mistake, from JSON5', () => {
    expect(() => parseJsonText('{\n "apps": [\n  { "name": }\n ]\n}', 'bad.json')).toThrow(/bad\.json: invalid JSON at line 3, column \d+/);
    expect(() => parseJsonText('while (true) {}', 'loop.json')).toThrow(/loop\.json: invalid JSON/);
  });
});
