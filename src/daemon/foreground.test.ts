import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ProcessInfo } from '../protocol/messages.js';
import { ForegroundOutput, foregroundExitCode, hasEnded } from './foreground.js';

const proc = (p: Partial<ProcessInfo>): ProcessInfo =>
  ({ id: 0, name: 'web', status: 'stopped', exit_code: null, exit_signal: null, ...p }) as ProcessInfo;

function capture() {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = { out: '', err: '' };
  out.on('data', (d) => (text.out += d));
  err.on('data', (d) => (text.err += d));
  return { output: new ForegroundOutput(out, err), text };
}

describe('ForegroundOutput', () => {
  it('prefixes whole lines and holds a partial one until its end comes', () => {
    const { output, text } = capture();
    output.event({ type: 'log', id: 2, name: 'api', instance: 0, stream: 'out', data: 'one\ntw' });
    output.event({ type: 'log', id: 3, name: 'web', instance: 0, stream: 'err', data: 'oops\n' });
    output.event({ type: 'log', id: 2, name: 'api', instance: 0, stream: 'out', data: 'o\n' });
    expect(text.out).toBe('2|api | one\n2|api | two\n');
    expect(text.err).toBe('3|web | oops\n');
  });

  it('prints the unfinished last line of a process that stopped', () => {
    const { output, text } = capture();
    output.event({ type: 'log', id: 1, name: 'job', instance: 0, stream: 'out', data: 'no newline' });
    output.event({ type: 'process', process: proc({ id: 1, name: 'job', status: 'stopped' }) });
    expect(text.out).toBe('1|job | no newline\n');
  });
});

describe('sup run exit', () => {
  it('has ended only when every instance is stopped or errored', () => {
    expect(hasEnded([proc({ status: 'stopped' }), proc({ status: 'errored' })])).toBe(true);
    expect(hasEnded([proc({ status: 'stopped' }), proc({ status: 'waiting-restart' })])).toBe(false);
  });

  it('exits 0 after clean stops and 1 when an app failed', () => {
    expect(foregroundExitCode([proc({ exit_signal: 'SIGTERM' }), proc({ exit_code: 0 })])).toBe(0);
    expect(foregroundExitCode([proc({ status: 'errored', exit_code: 1 })])).toBe(1);
    expect(foregroundExitCode([proc({ exit_signal: 'SIGKILL' })])).toBe(1);
    expect(foregroundExitCode([proc({ exit_code: 3 })])).toBe(1);
  });
});
