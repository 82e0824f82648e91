import { describe, expect, it } from 'vitest';
import type { ProcessDescription, ProcessInfo } from '../protocol/messages.js';
import { processInfo } from '../protocol/process-info.test-helper.js';
import { decideKey } from './keys.js';
import { LogBuffer } from './log-buffer.js';
import { chartsText, detailText, footerText, layout, logsText, tableText, titleText } from './render.js';
import { sparkline } from './sparkline.js';
import { MonitModel } from './view-model.js';

const proc = (id: number, over: Partial<ProcessInfo> = {}): ProcessInfo =>
  processInfo({ id, name: `app${id}`, pid: 1000 + id, memory: 50 * 1024 * 1024, ...over });

function model(...processes: ProcessInfo[]): MonitModel {
  const m = new MonitModel();
  m.setList(processes, 0);
  m.connection = 'connected';
  return m;
}

/** A screen region as a person reads it: tags gone. */
const plain = (text: string) => text.replace(/\{\/?[a-z-]+\}/g, '');

describe('MonitModel: events to rows', () => {
  it('lists processes in id order and selects the first', () => {
    const m = model(proc(2), proc(0), proc(1));
    expect(m.visible().map((p) => p.id)).toEqual([0, 1, 2]);
    expect(m.selectedId).toBe(0);
  });

  it('a process event replaces the row; only the selected one touches the details', () => {
    const m = model(proc(0), proc(1));
    expect(m.apply({ type: 'process', process: proc(1, { status: 'errored' }) }, 10)).toEqual(['table']);
    expect(m.visible()[1]!.status).toBe('errored');
    expect(m.apply({ type: 'process', process: proc(0, { restarts: 1 }) }, 10)).toEqual(['table', 'detail']);
  });

  it('a removed process leaves; the selection moves to a remaining row', () => {
    const m = model(proc(0), proc(1));
    m.apply({ type: 'removed', id: 0, name: 'app0' }, 10);
    expect(m.visible().map((p) => p.id)).toEqual([1]);
    expect(m.selectedId).toBe(1);
  });

  it('metrics update CPU and memory and grow the series, bounded', () => {
    const m = model(proc(0));
    for (let i = 0; i < 400; i++) m.apply({ type: 'metrics', samples: [{ id: 0, cpu: i, memory: i * 10 }] }, i);
    expect(m.selected()).toMatchObject({ cpu: 399, memory: 3990 });
    expect(m.series.get(0)!.cpu).toHaveLength(300);
    expect(m.series.get(0)!.cpu.at(-1)).toBe(399);
  });

  it('log lines redraw the pane only when the pane shows them', () => {
    const m = model(proc(0), proc(1));
    expect(m.apply({ type: 'log', id: 1, name: 'app1', instance: 0, stream: 'out', data: 'hi\n' }, 0)).toEqual([]);
    expect(m.apply({ type: 'log', id: 0, name: 'app0', instance: 0, stream: 'out', data: 'hi\n' }, 0)).toEqual(['logs']);
    m.toggleLogScope();
    expect(m.apply({ type: 'log', id: 1, name: 'app1', instance: 0, stream: 'out', data: 'yo\n' }, 0)).toEqual(['logs']);
    expect(m.logLines(10).map((l) => `${l.id}:${l.text}`)).toEqual(['1:hi', '0:hi', '1:yo']);
  });

  it('uptime runs on from when the daemon sent it', () => {
    const m = new MonitModel();
    m.setList([proc(0, { uptime: 5000 })], 1000);
    expect(m.uptime(m.selected()!, 4000)).toBe(8000);
    expect(m.uptime(proc(0, { uptime: 0 }), 4000)).toBe(0);
  });

  it('moves the selection within the visible rows, clamped at both ends', () => {
    const m = model(proc(0), proc(1), proc(2));
    m.move(1);
    expect(m.selectedId).toBe(1);
    m.move(10);
    expect(m.selectedId).toBe(2);
    expect(m.move(1)).toEqual([]);
    m.move(-Infinity);
    expect(m.selectedId).toBe(0);
  });

  it('filters by name, case-insensitively, keeping the selection on a shown row', () => {
    const m = model(proc(0, { name: 'web' }), proc(1, { name: 'api' }), proc(2, { name: 'Worker' }));
    m.setFilter('w');
    expect(m.visible().map((p) => p.name)).toEqual(['web', 'Worker']);
    m.move(1);
    m.setFilter('wo');
    expect(m.selectedId).toBe(2);
    m.setFilter('api');
    expect(m.selectedId).toBe(1);
    m.setFilter('nothing');
    expect(m.selectedId).toBeNull();
  });

  it('a reconnect with a new list drops what vanished', () => {
    const m = model(proc(0), proc(1));
    m.apply({ type: 'metrics', samples: [{ id: 1, cpu: 1, memory: 1 }] }, 0);
    m.setList([proc(0)], 5);
    expect(m.series.has(1)).toBe(false);
    expect(m.visible()).toHaveLength(1);
  });

  it('takes history only for what is still selected', () => {
    const m = model(proc(0), proc(1));
    expect(m.setHistory(0, [{ at: 1, cpu: 3, memory: 4 }])).toEqual(['charts']);
    expect(m.setHistory(1, [{ at: 1, cpu: 3, memory: 4 }])).toEqual([]);
  });
});

describe('MonitModel: the delete question', () => {
  it('is about the process selected when asked, whatever the selection does meanwhile', () => {
    const m = model(proc(0), proc(1));
    m.askDelete();
    expect(m.mode).toBe('confirm-delete');
    m.move(1);
    expect(m.deleteTarget?.id).toBe(0);
    expect(footerText(m, 80)).toContain('delete app0#0?');
  });

  it('is dropped, with a notice, when that process goes away first', () => {
    const m = model(proc(0), proc(1));
    m.askDelete();
    m.apply({ type: 'removed', id: 0, name: 'app0' }, 0);
    expect(m.mode).toBe('normal');
    expect(m.deleteTarget).toBeNull();
    expect(m.notice?.text).toBe('app0#0 is gone already');
  });
});

describe('LogBuffer', () => {
  it('keeps each process its own lines: a chatty neighbour does not push out a quiet one', () => {
    const b = new LogBuffer(100);
    b.add(0, 'quiet', 'out', 'only line\n');
    for (let i = 0; i < 5000; i++) b.add(1, 'chatty', 'out', `line ${i}\n`);
    expect(b.last(10, 0).map((l) => l.text)).toEqual(['only line']);
    expect(b.last(1).map((l) => l.text)).toEqual(['line 4999']);
  });

  it('shows the unfinished last line of a process that stopped, apart from its next run', () => {
    const m = model(proc(0));
    m.apply({ type: 'log', id: 0, name: 'app0', instance: 0, stream: 'err', data: 'fatal: out of cheese' }, 0);
    m.apply({ type: 'process', process: proc(0, { status: 'waiting-restart', pid: null }) }, 0);
    m.apply({ type: 'log', id: 0, name: 'app0', instance: 0, stream: 'err', data: 'next run starts\n' }, 0);
    expect(m.logLines(10).map((l) => l.text)).toEqual(['fatal: out of cheese', 'next run starts']);
  });

  it('keeps whole lines, joining a line split across chunks, per process and stream', () => {
    const b = new LogBuffer();
    expect(b.add(0, 'a', 'out', 'one\ntw')).toBe(1);
    b.add(1, 'b', 'out', 'other\n');
    b.add(0, 'a', 'err', 'oops\n');
    expect(b.add(0, 'a', 'out', 'o\n')).toBe(1);
    expect(b.last(10).map((l) => `${l.id}${l.stream}:${l.text}`)).toEqual(['0out:one', '1out:other', '0err:oops', '0out:two']);
  });

  it('strips terminal control sequences an app prints', () => {
    const b = new LogBuffer();
    b.add(0, 'a', 'out', '\u001b[31mred\u001b[0m\r and \u0007bell\n');
    expect(b.last(1)[0]!.text).toBe('red and bell');
  });

  it('stays bounded under a flood', () => {
    const b = new LogBuffer(100);
    for (let i = 0; i < 10_000; i++) b.add(0, 'a', 'out', `line ${i}\n`);
    expect(b.last(1000).length).toBeLessThanOrEqual(200);
    expect(b.last(1)[0]!.text).toBe('line 9999');
  });
});

describe('sparkline', () => {
  it('scales from zero to the larger of max and the peak, right-aligned', () => {
    expect(sparkline([0, 50, 100], 5, 100)).toBe('  ▁▅█');
    expect(sparkline([0, 2], 2, 0)).toBe('▁█');
    expect(sparkline([1, 2, 3, 4], 2, 4)).toBe('▆█');
    expect(sparkline([], 3, 1)).toBe('   ');
  });
});

describe('keys', () => {
  const key = (ch: string | undefined, name?: string, ctrl = false) => ({ ch, name: name ?? ch, ctrl });
  it('maps the normal keys', () => {
    expect(decideKey('normal', key(undefined, 'down'))).toEqual({ type: 'move', delta: 1 });
    expect(decideKey('normal', key('k'))).toEqual({ type: 'move', delta: -1 });
    expect(decideKey('normal', key('r'))).toEqual({ type: 'restart' });
    expect(decideKey('normal', key('R', 'r'))).toEqual({ type: 'reload' });
    expect(decideKey('normal', key('s'))).toEqual({ type: 'toggle-run' });
    expect(decideKey('normal', key('d'))).toEqual({ type: 'ask-delete' });
    expect(decideKey('normal', key('l'))).toEqual({ type: 'toggle-logs' });
    expect(decideKey('normal', key('/'))).toEqual({ type: 'start-filter' });
    expect(decideKey('normal', key('?'))).toEqual({ type: 'help' });
    expect(decideKey('normal', key('q'))).toEqual({ type: 'quit' });
    expect(decideKey('normal', key(undefined, 'c', true))).toEqual({ type: 'quit' });
  });

  it('types into the filter, r included, until enter or escape', () => {
    expect(decideKey('filter', key('r'))).toEqual({ type: 'filter-input', text: 'r' });
    expect(decideKey('filter', key(undefined, 'backspace'))).toEqual({ type: 'filter-erase' });
    expect(decideKey('filter', key('\r', 'enter'))).toEqual({ type: 'filter-done' });
    expect(decideKey('filter', key(undefined, 'escape'))).toEqual({ type: 'filter-clear' });
  });

  it('deletes only on y; any other key cancels, and closes the help', () => {
    expect(decideKey('confirm-delete', key('y'))).toEqual({ type: 'confirm-delete' });
    expect(decideKey('confirm-delete', key('n'))).toEqual({ type: 'cancel' });
    expect(decideKey('confirm-delete', key('d'))).toEqual({ type: 'cancel' });
    expect(decideKey('help', key('x'))).toEqual({ type: 'cancel' });
    expect(decideKey('help', key(undefined, 'c', true))).toEqual({ type: 'quit' });
  });
});

describe('render', () => {
  it('fits 80×24: every pane keeps lines, the footer fits', () => {
    const sizes = layout(24, 3);
    expect(sizes.table + sizes.info + sizes.logs).toBe(22);
    expect(sizes.logs).toBeGreaterThanOrEqual(3);
    expect(footerText(new MonitModel(), 80).length).toBeLessThanOrEqual(80);
  });

  it('gives the table its rows when there is room, and at most 40% of the screen', () => {
    expect(layout(40, 3).table).toBe(6);
    expect(layout(40, 100).table).toBe(15);
  });

  it('shows the status by word (readable without colour) and the columns', () => {
    const m = model(
      proc(0, { name: 'web', status: 'online' }),
      proc(1, { name: 'api', status: 'errored', pid: null, uptime: 0, cpu: null, memory: null }),
    );
    const text = plain(tableText(m, 80, 10, 0));
    const [header, web, api] = text.split('\n');
    expect(header).toMatch(/^id\s+name\s+mode\s+pid\s+status\s+↺\s+uptime\s+cpu\s+memory/);
    expect(web).toMatch(/^0\s+web\s+fork\s+1000\s+online\s+0\s+5s\s+1%\s+50mb/);
    expect(api).toMatch(/^1\s+api\s+fork\s+-\s+errored\s+0\s+-\s+-\s+-/);
    expect(tableText(m, 80, 10, 0)).toContain('{red-fg}errored');
    expect(text.split('\n').every((l) => l.length <= 78)).toBe(true);
  });

  it('keeps the selected row in view when the table is short', () => {
    const m = model(...Array.from({ length: 20 }, (_, i) => proc(i)));
    m.move(15);
    const text = plain(tableText(m, 80, 6, 0));
    expect(text.split('\n')).toHaveLength(4);
    expect(tableText(m, 80, 6, 0)).toContain('{inverse}15 ');
  });

  it('escapes braces from app names and log lines', () => {
    const m = model(proc(0, { name: 'a{b}' }));
    m.apply({ type: 'log', id: 0, name: 'a{b}', instance: 0, stream: 'err', data: '{red-fg}x\n' }, 0);
    expect(tableText(m, 80, 10, 0)).toContain('a{open}b{close}');
    expect(logsText(m, 80, 10)).toBe('{red-fg}{open}red-fg{close}x{/red-fg}');
  });

  it('details: script, cwd, pid, last exit, reason, limits and logs', () => {
    const m = model(proc(0, { name: 'api', restarts: 3, exit_code: 1, restart_reason: 'crashed (exit code 1)' }));
    m.setDetail({
      ...m.selected()!,
      config: {
        script: '/srv/api.js',
        args: ['--port', '1'],
        cwd: '/srv',
        max_memory_restart: 200 * 1024 * 1024,
        kill_timeout: 1600,
        max_restarts: 16,
      },
      logs: { out: '/logs/api-out.log', err: '/logs/api-error.log', combined: null },
    } as unknown as ProcessDescription);
    const text = plain(detailText(m, 80));
    expect(text).toContain('script   /srv/api.js --port 1');
    expect(text).toContain('cwd      /srv');
    expect(text).toContain('restarts 3 (unstable 0), last exit code 1');
    expect(text).toContain('reason   crashed (exit code 1)');
    expect(text).toContain('limits   memory 200mb, kill_timeout 1600 ms');
    expect(text).toContain('out      /logs/api-out.log');
  });

  it('charts: the current figures and a bar per sample', () => {
    const m = model(proc(0));
    m.apply({ type: 'metrics', samples: [{ id: 0, cpu: 10, memory: 100 }] }, 0);
    m.apply({ type: 'metrics', samples: [{ id: 0, cpu: 20, memory: 200 }] }, 0);
    const lines = plain(chartsText(m, 12, 8)).split('\n');
    expect(lines[0]).toBe('cpu 20%');
    expect(lines[1]).toBe('        ▅█');
    expect(lines[3]).toBe('memory 200b');
  });

  it('title: counts, and the connection state in words', () => {
    const m = model(proc(0), proc(1, { status: 'stopped' }));
    expect(plain(titleText(m))).toContain('2 processes, 1 online  connected');
    m.connection = 'disconnected';
    expect(plain(titleText(m))).toContain('disconnected — retrying');
  });
});
