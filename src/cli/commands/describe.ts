import type { ProcessDescription, SeriesStats } from '../../protocol/messages.js';
import { formatBytes, formatCpu, formatDuration, renderTable } from '../render/format.js';
import { formatHealth } from '../render/process-table.js';
import { STATUS_COLOR, paint, useColor } from '../render/style.js';
import { expandTargets } from '../targets.js';
import { print, withDaemon } from '../session.js';

export async function run(args: { target: string; json: boolean }): Promise<void> {
  await withDaemon(async (client) => {
    const { processes } = await client.request('describe', { targets: await expandTargets([args.target]) });
    print(args.json ? JSON.stringify(processes, null, 2) : processes.map((p) => describeOne(p, useColor())).join('\n\n'));
  });
}

function series(stats: SeriesStats, format: (n: number | null) => string): string {
  return `${format(stats.current)} now, ${format(stats.peak)} peak, ${format(stats.average)} average (5 min)`;
}

function describeOne(p: ProcessDescription, color: boolean): string {
  const c = p.config;
  const rows: [string, string][] = [
    ['status', paint(p.status, STATUS_COLOR[p.status], color) + (p.status_reason ? ` (${p.status_reason})` : '')],
    ['name', p.name],
    ['id', String(p.id)],
    ['instance', `${p.instance} of ${c.instances}`],
    ['namespace', p.namespace],
    ['pid', p.pid === null ? '-' : String(p.pid)],
    ['mode', p.mode],
    ['script', c.script],
    ['args', c.args.join(' ') || '-'],
    ['interpreter', `${c.interpreter}${c.interpreter_args.length ? ` ${c.interpreter_args.join(' ')}` : ''}`],
    ['cwd', c.cwd],
    ['uptime', p.uptime > 0 ? formatDuration(p.uptime) : '-'],
    ['restarts', `${p.restarts} (unstable in a row: ${p.unstable_restarts})`],
    ['last exit', p.exit_signal ? `signal ${p.exit_signal}` : p.exit_code === null ? '-' : `code ${p.exit_code}`],
    ['cpu (tree)', series(p.monitor.cpu, formatCpu)],
    ['memory (tree)', series(p.monitor.memory, formatBytes)],
    ['main process', `${formatCpu(p.monitor.main_cpu)} cpu, ${formatBytes(p.monitor.main_memory)} memory`],
    ['memory limit', c.max_memory_restart === null ? 'none' : `${formatBytes(c.max_memory_restart)} (max_memory_restart)`],
    ['last restart', p.restart_reason ?? '-'],
    [
      'watch',
      p.triggers.watch
        ? `${p.triggers.watch.paths.join(', ')} (${p.triggers.watch.active ? 'watching' : 'not watching while stopped'}; ignoring ${p.triggers.watch.ignored.join(', ')}; delay ${p.triggers.watch.delay_ms} ms)`
        : 'off',
    ],
    [
      'cron_restart',
      p.triggers.cron
        ? `${p.triggers.cron.pattern} (next ${p.triggers.cron.next_run ? new Date(p.triggers.cron.next_run).toISOString() : '-'})`
        : 'off',
    ],
    [
      'restart policy',
      `autorestart ${c.autorestart}, max_restarts ${c.max_restarts}, min_uptime ${c.min_uptime} ms, restart_delay ${c.restart_delay} ms, exp_backoff ${c.exp_backoff_restart_delay} ms`,
    ],
    ['stop', `${c.kill_signal}, then SIGKILL after ${c.kill_timeout} ms`],
    ['stdout log', p.logs.out],
    ['stderr log', p.logs.err],
    ['combined log', p.logs.combined ?? '-'],
    [
      'log rotation',
      c.log_max_size ? `at ${formatBytes(c.log_max_size)}, keep ${c.log_retain}${c.log_compress ? ', gzipped' : ''}` : 'off',
    ],
    ['created', new Date(p.created_at).toISOString()],
  ];
  if (p.next_restart_at) rows.push(['next restart', new Date(p.next_restart_at).toISOString()]);
  rows.push(...healthRows(p));
  const hooks = Object.entries(c.hooks).map(([event, hook]) => `${event}: ${typeof hook === 'string' ? hook : hook.url}`);
  if (hooks.length > 0) rows.push(['hooks', hooks.join('; ')]);
  if (Object.keys(c.depends_on).length > 0)
    rows.push([
      'depends on',
      Object.entries(c.depends_on)
        .map(([d, w]) => `${d} (${w})`)
        .join(', '),
    ]);
  for (const f of p.hook_failures) {
    rows.push([
      'hook failing',
      paint(`${f.event} → ${f.target}: ${f.error} (${f.count}×, last ${new Date(f.at).toISOString()})`, 'red', color),
    ]);
  }
  const table = renderTable([paint(`${p.name}#${p.id}`, 'bold', color), ''], rows);
  return p.exits.length > 0 ? `${table}\n${exitsText(p)}` : table;
}

/** The health check and the watchdog, when the app has them. */
function healthRows(p: ProcessDescription): [string, string][] {
  const rows: [string, string][] = [];
  const check = p.config.health_check;
  if (check) {
    const what = check.http !== null ? `http ${check.http}` : check.tcp !== null ? `tcp ${check.tcp}` : `command ${check.command}`;
    rows.push([
      'health check',
      `${what} every ${check.interval} ms, timeout ${check.timeout} ms, retries ${check.retries}, start_period ${check.start_period} ms`,
    ]);
    const h = p.health;
    const last = h?.last
      ? `; last ${h.last.ok ? 'passed' : 'failed'} ${formatDuration(Date.now() - h.last.at)} ago in ${h.last.latency_ms} ms: ${h.last.detail}`
      : '';
    rows.push(['health', h ? `${formatHealth(h)}${last} (failures in a row: ${h.failures})` : '-']);
  }
  if (p.config.watchdog > 0) rows.push(['watchdog', `restart when the event loop is blocked for ${p.config.watchdog} ms`]);
  return rows;
}

/** The last few exits, newest last, with what they wrote to stderr. */
function exitsText(p: ProcessDescription): string {
  const lines = ['last exits:'];
  for (const e of p.exits) {
    lines.push(`  ${new Date(e.at).toISOString()}  ${e.signal ? `signal ${e.signal}` : `code ${e.code}`}  ${e.reason}`);
    for (const l of e.stderr.slice(-5)) lines.push(`      | ${l}`);
  }
  return lines.join('\n');
}
