import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SUP_BIN } from '../../test/harness/paths.js';
import { cpuSeconds, isAlive, statusKb, vmRssKb } from '../../test/harness/proc.js';
import { Tmux } from '../../test/harness/tmux.js';
import { sleep, waitFor } from '../../test/harness/wait.js';
import { summarize } from '../lib/stats.js';
import { benchApp } from '../lib/home-root.js';

// SUP_BENCH_QUICK=1 measures the CPU over 10 s instead of 60 s and launches the dashboard 3 times instead of 5.
const QUICK = /^(1|true|yes)$/i.test(process.env.SUP_BENCH_QUICK ?? '');
const CPU_MS = QUICK ? 10_000 : 60_000;
const WINDOW_MS = QUICK ? 2000 : 5000;
const LAUNCHES = QUICK ? 3 : 5;
const SETTLE_MS = 3000;
const SIZE = { width: 120, height: 40 };
const SLEEPERS = 46; // `sleep` with interpreter none: 46 + 4 idle node apps = 50 processes, plus the chatty one
const NODE_IDLE = 4;
const CHATTY_RATE = 200; // lines a second
const TOTAL = SLEEPERS + NODE_IDLE + 1;

/**
 * `sup monit` in a real terminal (tmux, 120×40) over 51 processes, one of them logging 200 lines a second and
 * selected, so that the dashboard draws its log lines, the table and the charts: (a) launching the command →
 * the first complete screen (rows, details, footer), (b) the dashboard's own CPU over 60 s, from /proc/<pid>/stat,
 * and its RSS; the daemon's CPU over the same time, for context.
 */
export default {
  name: 'monit',
  async run({ root, log }) {
    const home = root.create();
    const tmux = new Tmux('sup-bench-monit');
    try {
      const file = join(home.home, 'monit.ecosystem.json');
      const apps = [
        { name: 'chatty', script: benchApp('chatty.js'), env: { CHATTY_RATE: String(CHATTY_RATE) } },
        ...Array.from({ length: NODE_IDLE }, (_, i) => ({ name: `node-${i + 1}`, script: benchApp('idle.js') })),
        ...Array.from({ length: SLEEPERS }, (_, i) => ({
          name: `sleep-${String(i + 1).padStart(2, '0')}`,
          script: 'sleep',
          args: ['86400'],
          interpreter: 'none',
        })),
      ];
      writeFileSync(file, JSON.stringify({ apps }));
      log(`monit: starting ${TOTAL} processes (${SLEEPERS} sleep, ${NODE_IDLE} idle node, 1 node at ${CHATTY_RATE} lines/s)`);
      await home.ok(['start', file], { timeoutMs: 60_000 });
      await waitFor(
        `${TOTAL} processes online`,
        async () => {
          const list = await home.list();
          return list.length === TOTAL && list.every((p) => p.status === 'online');
        },
        60_000,
      );
      const [chatty] = JSON.parse(await home.ok(['describe', 'chatty', '--json']));

      const command = (name) => [
        '/bin/sh',
        '-c',
        `env SUP_HOME=${quote(home.home)} LANG=C.UTF-8 TERM=xterm-256color ${quote(process.execPath)} ${quote(SUP_BIN)} monit; echo MONIT-EXITED $?; sleep 600`,
        name,
      ];

      log(`monit: 1 warm-up + ${LAUNCHES} launches, launch → first complete ${SIZE.width}×${SIZE.height} screen`);
      const firstScreen = [];
      for (let i = 0; i <= LAUNCHES; i++) {
        const name = `launch${i}`;
        const started = performance.now();
        const pane = await tmux.start(name, { ...SIZE, argv: command(name) });
        await pane.waitForScreen(`a complete dashboard (launch ${i})`, complete, 20_000, { intervalMs: 5 });
        const ms = performance.now() - started;
        if (i > 0) firstScreen.push(ms); // the first one only brings the dashboard's modules into the page cache
        await pane.kill();
      }

      log(`monit: the dashboard's CPU over ${CPU_MS / 1000} s, in ${WINDOW_MS / 1000} s windows`);
      const measured = await tmux.start('measured', { ...SIZE, argv: command('measured') });
      await measured.waitForScreen('a complete dashboard', complete, 20_000);
      const monit = await waitFor('the monit process under the pane', () => measured.findProcess(/bin\/sup\.js monit$/), 5000);
      const daemon = home.daemonPid();
      await sleep(SETTLE_MS);
      const windows = [];
      const t0 = performance.now();
      const monit0 = cpuSeconds(monit);
      const daemon0 = cpuSeconds(daemon);
      let last = { t: t0, cpu: monit0 };
      while (performance.now() - t0 < CPU_MS - 1) {
        await sleep(Math.min(WINDOW_MS, CPU_MS - (performance.now() - t0)));
        const now = { t: performance.now(), cpu: cpuSeconds(monit) };
        windows.push(((now.cpu - last.cpu) / ((now.t - last.t) / 1000)) * 100);
        last = now;
      }
      const seconds = (last.t - t0) / 1000;
      const monitCpu = ((last.cpu - monit0) / seconds) * 100;
      const daemonCpu = ((cpuSeconds(daemon) - daemon0) / seconds) * 100;
      const rss = vmRssKb(monit) / 1024;
      const peak = statusKb(monit, 'VmHWM') / 1024;
      log(
        `monit: dashboard CPU ${monitCpu.toFixed(2)}% over ${seconds.toFixed(1)} s (windows ${windows.map((w) => w.toFixed(1)).join(' ')}), RSS ${rss.toFixed(1)} MiB (peak ${peak.toFixed(1)}), daemon CPU ${daemonCpu.toFixed(2)}%`,
      );

      // The figures mean something only if the dashboard kept drawing: its log pane shows the chatty app's recent lines.
      await measured.waitForScreen(
        "the chatty app's latest lines in the log pane",
        (screen) => {
          const shown = Math.max(0, ...[...screen.matchAll(/│chatty (\d+) /g)].map((m) => Number(m[1])));
          const written = lastNumber(chatty.logs.out);
          return shown > 0 && shown >= written - CHATTY_RATE; // at most a second behind the log file
        },
        5000,
      );
      if (!isAlive(monit)) throw new Error('the dashboard exited during the measurement');

      return [
        {
          id: 'monit-first-screen',
          label: `\`sup monit\` launch → first complete screen, ${TOTAL} processes, ${SIZE.width}×${SIZE.height}`,
          unit: 'ms',
          ...summarize(firstScreen),
        },
        {
          id: 'monit-cpu',
          label: `\`sup monit\` CPU, ${TOTAL} processes + ${CHATTY_RATE} lines/s shown, ${seconds.toFixed(0)} s (median of ${WINDOW_MS / 1000} s windows; target < 5%)`,
          unit: '%',
          ...summarize(windows),
        },
        {
          id: 'monit-cpu-overall',
          label: `\`sup monit\` CPU, the same ${seconds.toFixed(0)} s as one figure`,
          unit: '%',
          ...summarize([monitCpu]),
        },
        {
          id: 'monit-rss',
          label: `\`sup monit\` RSS after ${(SETTLE_MS / 1000 + seconds).toFixed(0)} s`,
          unit: 'MiB',
          ...summarize([rss]),
          peak_mib: peak,
        },
        {
          id: 'monit-daemon-cpu',
          label: `daemon CPU meanwhile (${TOTAL} processes monitored, logs streamed to the dashboard)`,
          unit: '%',
          ...summarize([daemonCpu]),
        },
      ];
    } finally {
      await tmux.killServer();
      await root.release(home);
    }
  },
};

/** Title connected with every process counted, the table full of rows, the details of the selection, the footer. */
function complete(screen) {
  const lines = screen.replace(/\n$/, '').split('\n');
  const title = /sup monit\s+(\d+) process(?:es)?, (\d+) online\s+connected/.exec(lines[0] ?? '');
  if (!title || Number(title[1]) !== TOTAL) return false;
  const top = lines.findIndex((l) => l.includes('─ Processes '));
  if (top < 0 || !lines[top + 1]?.includes('↺')) return false;
  const body = [];
  for (const line of lines.slice(top + 2)) {
    if (!line.startsWith('│')) break;
    body.push(line);
  }
  const rows = body.filter((l) => /^│\d+\s+\S+\s+fork\s+\d+\s+online\s/.test(l));
  const tableFull = body.length > 0 && rows.length === body.length;
  const details = lines.some((l) => /^│chatty#0\s+online/.test(l));
  const footer = (lines[lines.length - 1] ?? '').includes('q quit');
  return tableFull && details && footer;
}

/** The number of the last "chatty <n>" line in a log file. */
function lastNumber(path) {
  const text = readFileSync(path, 'utf8');
  const m = /chatty (\d+) \d+ [^\n]*\n$/.exec(text.slice(-4096));
  return m ? Number(m[1]) : 0;
}

const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
