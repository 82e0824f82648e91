import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isAlive, killQuietly, sleep, vmRssKb, waitFor } from '../lib/proc.js';
import { summarize } from '../lib/stats.js';
import { benchApp, SUP_BIN } from '../lib/sup-home.js';

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
    const tmux = new TmuxServer(`sup-bench-monit-${process.pid}`);
    try {
      const file = join(home.dir, 'monit.ecosystem.json');
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
      await home.sup(['start', file], { timeoutMs: 60_000 });
      await waitFor(
        `${TOTAL} processes online`,
        async () => {
          const list = await home.list();
          return list.length === TOTAL && list.every((p) => p.status === 'online');
        },
        60_000,
        100,
      );
      const [chatty] = JSON.parse((await home.sup(['describe', 'chatty', '--json'])).stdout);

      const command = (name) => [
        '/bin/sh',
        '-c',
        `env SUP_HOME=${quote(home.dir)} LANG=C.UTF-8 TERM=xterm-256color ${quote(process.execPath)} ${quote(SUP_BIN)} monit; echo MONIT-EXITED $?; sleep 600`,
        name,
      ];

      log(`monit: 1 warm-up + ${LAUNCHES} launches, launch → first complete ${SIZE.width}×${SIZE.height} screen`);
      const firstScreen = [];
      for (let i = 0; i <= LAUNCHES; i++) {
        const name = `launch${i}`;
        const started = performance.now();
        await tmux.newSession(name, SIZE, command(name));
        await tmux.waitForScreen(name, `a complete dashboard (launch ${i})`, (screen) => complete(screen), 20_000, 5);
        const ms = performance.now() - started;
        if (i > 0) firstScreen.push(ms); // the first one only brings the dashboard's modules into the page cache
        await tmux.killSession(name);
      }

      log(`monit: the dashboard's CPU over ${CPU_MS / 1000} s, in ${WINDOW_MS / 1000} s windows`);
      await tmux.newSession('measured', SIZE, command('measured'));
      await tmux.waitForScreen('measured', 'a complete dashboard', complete, 20_000);
      const monit = await waitFor('the monit process under the pane', () => tmux.findProcess('measured', /bin\/sup\.js monit$/), 5000);
      const daemon = home.daemonPid();
      await sleep(SETTLE_MS);
      const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
      const cpuOf = (pid) => cpuTicks(pid) / ticks;
      const windows = [];
      const t0 = performance.now();
      const monit0 = cpuOf(monit);
      const daemon0 = cpuOf(daemon);
      let last = { t: t0, cpu: monit0 };
      while (performance.now() - t0 < CPU_MS - 1) {
        await sleep(Math.min(WINDOW_MS, CPU_MS - (performance.now() - t0)));
        const now = { t: performance.now(), cpu: cpuOf(monit) };
        windows.push(((now.cpu - last.cpu) / ((now.t - last.t) / 1000)) * 100);
        last = now;
      }
      const seconds = (last.t - t0) / 1000;
      const monitCpu = ((last.cpu - monit0) / seconds) * 100;
      const daemonCpu = ((cpuOf(daemon) - daemon0) / seconds) * 100;
      const rss = vmRssKb(monit) / 1024;
      const peak = vmHwmKb(monit) / 1024;
      log(
        `monit: dashboard CPU ${monitCpu.toFixed(2)}% over ${seconds.toFixed(1)} s (windows ${windows.map((w) => w.toFixed(1)).join(' ')}), RSS ${rss.toFixed(1)} MiB (peak ${peak.toFixed(1)}), daemon CPU ${daemonCpu.toFixed(2)}%`,
      );

      // The figures mean something only if the dashboard kept drawing: its log pane shows the chatty app's recent lines.
      await tmux.waitForScreen(
        'measured',
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

/** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/<pid>/stat). */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function vmHwmKb(pid) {
  return Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
}

/** The number of the last "chatty <n>" line in a log file. */
function lastNumber(path) {
  const text = readFileSync(path, 'utf8');
  const m = /chatty (\d+) \d+ [^\n]*\n$/.exec(text.slice(-4096));
  return m ? Number(m[1]) : 0;
}

const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A tmux server on a socket of its own: every call names it; killServer ends it and, by pid, what its panes ran. */
class TmuxServer {
  constructor(socket) {
    this.socket = socket;
  }

  run(args) {
    const env = { ...process.env, LANG: 'C.UTF-8', TERM: process.env.TERM || 'xterm-256color' };
    delete env.TMUX;
    return new Promise((resolve, reject) => {
      execFile('tmux', ['-u', '-f', '/dev/null', '-L', this.socket, ...args], { env, timeout: 10_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`tmux ${args.join(' ')}: ${err.message} ${stderr}`)) : resolve(stdout),
      );
    });
  }

  newSession(name, { width, height }, argv) {
    return this.run(['new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), ...argv]);
  }

  async waitForScreen(name, what, check, timeoutMs, intervalMs = 25) {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    for (;;) {
      screen = await this.run(['capture-pane', '-p', '-t', name]).catch(() => screen);
      if (check(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last screen:\n${screen}`);
      await sleep(intervalMs);
    }
  }

  async panePids(target) {
    const out = await this.run(['list-panes', ...(target ? ['-t', target] : ['-a']), '-F', '#{pane_pid}']).catch(() => '');
    return out.split('\n').filter(Boolean).map(Number);
  }

  async findProcess(name, cmdline) {
    const [root] = await this.panePids(name);
    return descendants(root).find((pid) => {
      try {
        return cmdline.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim());
      } catch {
        return false;
      }
    });
  }

  async killSession(name) {
    const tree = (await this.panePids(name)).flatMap((pid) => [pid, ...descendants(pid)]);
    await this.run(['kill-session', '-t', name]).catch(() => undefined);
    await endAll(tree);
  }

  async killServer() {
    const tree = (await this.panePids()).flatMap((pid) => [pid, ...descendants(pid)]);
    await this.run(['kill-server']).catch(() => undefined);
    await endAll(tree);
    // tmux leaves its socket file behind: $TMUX_TMPDIR (or /tmp)/tmux-<uid>/<socket>.
    rmSync(join(process.env.TMUX_TMPDIR || '/tmp', `tmux-${process.getuid()}`, this.socket), { force: true });
  }
}

/** Waits for these processes to end (they got SIGHUP from tmux), then SIGKILLs by pid those that did not. */
async function endAll(pids) {
  await waitFor('the pane processes to end', () => pids.every((pid) => !isAlive(pid)), 3000).catch(() => undefined);
  pids.filter(isAlive).forEach((pid) => killQuietly(pid));
}

function descendants(root) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // exited meanwhile
    }
  }
  const out = [];
  const walk = (pid) => (children.get(pid) ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(root);
  return out.filter(isAlive);
}
