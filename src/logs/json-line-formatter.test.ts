import { describe, expect, it } from 'vitest';
import { JsonLineFormatter } from './json-line-formatter.js';

const make = () => new JsonLineFormatter({ app_name: 'api', process_id: 3, type: 'err' }, () => 'T', false);
const lines = (pieces: Buffer[]) =>
  Buffer.concat(pieces)
    .toString()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('JsonLineFormatter', () => {
  it("writes one object per line with PM2's field names", () => {
    const out = lines(make().push(Buffer.from('hello "world"\nsecond\n')));
    expect(out).toEqual([
      { message: 'hello "world"', timestamp: 'T', type: 'err', process_id: 3, app_name: 'api' },
      { message: 'second', timestamp: 'T', type: 'err', process_id: 3, app_name: 'api' },
    ]);
  });

  it('holds a partial line until its newline, and completes it when the source ends', () => {
    const f = make();
    expect(f.push(Buffer.from('par'))).toEqual([]);
    expect(lines(f.push(Buffer.from('tial\nrest')))).toMatchObject([{ message: 'partial' }]);
    expect(lines(f.end())).toMatchObject([{ message: 'rest' }]);
    expect(f.end()).toEqual([]);
  });

  it('keeps a line the app printed as JSON as an object, byte for byte', () => {
    const raw = '{"level":"info","n":1.50,"big":12345678901234567890}';
    const text = Buffer.concat(make().push(Buffer.from(`${raw}\n`))).toString();
    expect(text.startsWith(`{"message":${raw},`)).toBe(true);
    expect((JSON.parse(text) as { message: { level: string } }).message.level).toBe('info');
  });

  it('keeps a JSON-looking line that is not JSON, or has spaces around it, as a string', () => {
    expect(lines(make().push(Buffer.from('{not json}\n {"a":1}\n')))).toMatchObject([{ message: '{not json}' }, { message: ' {"a":1}' }]);
  });

  it('keeps bytes that are not UTF-8 as base64, so nothing is lost', () => {
    const bytes = Buffer.from([0xff, 0x00, 0xc3]);
    const [obj] = lines(make().push(Buffer.concat([bytes, Buffer.from('\n')])));
    expect(obj).toMatchObject({ encoding: 'base64' });
    expect(Buffer.from(obj!.message as string, 'base64').equals(bytes)).toBe(true);
  });

  it('cuts a line that never ends into objects past 1 MiB, losing no byte', () => {
    const f = make();
    const big = Buffer.alloc(600 * 1024, 'a');
    const out = [...f.push(big), ...f.push(big), ...f.end()];
    const messages = lines(out).map((o) => o.message as string);
    expect(messages.join('')).toBe('a'.repeat(1200 * 1024));
  });
});
