import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpuSeconds, isAlive, killQuietly, sleep, spawnTracked, waitFor } from '../lib/proc.js';
import { installPm2, Pm2Home } from '../lib/pm2.js';
import { summarize } from '../lib/stats.js';
import { benchApp, SUP_BIN } from '../lib/sup-home.js';

const LINES = 200_000;
const WIDTH = 70; // bytes per line, newline included
const ROUNDS = 3;
const POLL_MS = 5;
const DEADLINE_MS = 30_000; // for one burst to reach the log file
const STALL_MS = 3000; // the app has written everything and the file stopped growing: lines were lost
const APP = 'burst';
const PM2_ISSUE_REF = 'issue: PM2 0.83 s, 0 lost';

const VARIANTS = [
  { id: 'sup', label: 'sup' },
  { id: 'sup-follow', label: 'sup + `sup logs --raw` follower' },
  { id: 'pm2', label: 'PM2' },
];

/**
 * A burst of 200,000 numbered 70-byte lines (14 MB) that an app writes to stdout as fast as the pipe takes them:
 * how long until every line is in the log file, how many are missing or doubled there, and the CPU time the
 * supervisor's daemon spent meanwhile. sup alone, sup with a `sup logs` follower attached, and PM2 (installed
 * into the run's temp dir), interleaved over 3 rounds on one daemon each, started beforehand.
 *
 * The app, once ready, waits for SIGUSR2 (the follower must attach to a running app), so that two times are measured:
 * the burst (signal → every line in the file), and start → every line in the file: the time from spawning
 * `sup start` / `pm2 start` to the app's first line of JS plus the burst, leaving out the wait in between.
 * The daemon's CPU is counted over the burst alone.
 */
export default {
  name: 'log-burst',
  async run({ root, log }) {
    const dir = root.scratchDir();
    const home = root.create();
    let pm2;
    try {
      const installed = await installPm2(root, log);
      await home.sup(['ping']);
      const daemons = { sup: home.daemonPid() };
      if (installed.unavailable) {
        log(`log-burst: PM2: not available (${installed.unavailable}); measuring sup only`);
      } else {
        pm2 = new Pm2Home(root, installed);
        await pm2.pm2(['ping']);
        daemons.pm2 = await waitFor('pm2.pid', () => pm2.daemonPid(), 5000);
      }
      const variants = VARIANTS.filter((v) => v.id !== 'pm2' || pm2);
      const results = Object.fromEntries(variants.map((v) => [v.id, []]));
      log(`log-burst: ${ROUNDS} rounds of ${LINES} lines × ${WIDTH} B through ${variants.map((v) => v.label).join(', ')}`);
      for (let round = 0; round < ROUNDS; round++) {
        // Each variant goes first once: the first burst meets a daemon whose JIT has not seen one yet.
        const order = variants.map((_, i) => variants[(i + round) % variants.length]);
        for (const v of order) {
          const files = {
            out: join(dir, `${v.id}-${round}.out.log`),
            err: join(dir, `${v.id}-${round}.err.log`),
            stamps: join(dir, `${v.id}-${round}.stamps`),
            ecosystem: join(dir, `${v.id}-${round}.ecosystem.json`),
          };
          const r = await burst({ variant: v.id, home, pm2, daemon: v.id === 'pm2' ? daemons.pm2 : daemons.sup, files });
          results[v.id].push(r);
          log(`log-burst: round ${round + 1} ${v.label}: ${describe(r)}`);
          for (const f of Object.values(files)) rmSync(f, { force: true });
        }
      }
      return rows(results, pm2 ? `PM2 ${pm2.version}` : `PM2: not available (${installed.unavailable})`);
    } finally {
      if (pm2) await pm2.cleanup();
      await root.release(home);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** One burst: start the app (it waits), attach the follower, signal the app, read the log file until it has every line. */
async function burst({ variant, home, pm2, daemon, files }) {
  const env = { BENCH_BURST_STAMPS: files.stamps, BENCH_BURST_LINES: String(LINES) };
  let follower;
  try {
    if (variant !== 'pm2') {
      const app = { name: APP, script: benchApp('log-burst.js'), out_file: files.out, error_file: files.err, log_max_size: 0, env };
      writeFileSync(files.ecosystem, JSON.stringify({ apps: [app] }));
    }
    const startedAt = Date.now();
    if (variant === 'pm2') await pm2.pm2(['start', benchApp('log-burst.js'), '--name', APP, '-o', files.out, '-e', files.err], { env });
    else await home.sup(['start', files.ecosystem], { env });
    const ready = await waitFor(`${APP} to be ready (${files.stamps})`, () => stamps(files.stamps).ready, 15_000);
    if (variant === 'sup-follow') follower = await attachFollower(home);

    const inFile = new LineTally(LINES);
    const cpu0 = cpuSeconds(daemon);
    const t0 = performance.now();
    process.kill(ready.pid, 'SIGUSR2');
    const reader = new FileReader(files.out);
    let complete = false;
    let grewAt = performance.now();
    for (;;) {
      if (reader.readNew((chunk) => inFile.push(chunk)) > 0) grewAt = performance.now();
      if (inFile.distinct === LINES) {
        complete = true;
        break;
      }
      const now = performance.now();
      if (now - t0 > DEADLINE_MS) break;
      if (now - grewAt > STALL_MS && stamps(files.stamps).written) break;
      await sleep(POLL_MS);
    }
    const wallMs = performance.now() - t0;
    reader.close();
    // The daemon's work for the follower may go on after the file is complete; that is part of its cost.
    if (follower) await follower.drained();
    const cpu = cpuSeconds(daemon) - cpu0;
    const s = stamps(files.stamps);
    return {
      complete,
      startToReadyMs: ready.t - startedAt,
      wallMs,
      lost: LINES - inFile.distinct,
      dup: inFile.dup,
      other: inFile.other,
      otherSample: inFile.otherSample,
      cpu,
      appWriteMs: s.written && s.burst ? s.written.t - s.burst.t : undefined,
      follower: follower && { distinct: follower.tally.distinct, dup: follower.tally.dup, skipped: follower.skipped },
    };
  } finally {
    if (follower) await follower.stop();
    // A failed delete must not hide why the burst failed; the next start would fail on the name anyway.
    await (variant === 'pm2' ? pm2.pm2(['delete', APP]) : home.sup(['delete', APP])).catch((err) => process.stderr.write(`log-burst: delete failed: ${err.message}\n`));
  }
}

/**
 * `sup logs burst --raw --lines 0`: no history, so any line it prints arrived live, and it is subscribed once it
 * shows one of the "waiting" lines the app prints to stderr until the burst.
 */
async function attachFollower(home) {
  const child = spawnTracked(process.execPath, [SUP_BIN, 'logs', APP, '--raw', '--lines', '0'], { env: home.env(), stdio: ['ignore', 'pipe', 'pipe'] });
  const tally = new LineTally(LINES);
  let printed = 0;
  let skipped = 0;
  let stderr = '';
  let lastData = performance.now();
  let rest = '';
  child.stdout.on('data', (chunk) => {
    lastData = performance.now();
    tally.push(chunk);
    // Lines that are not burst lines: the app's "waiting" pings and sup's notices of chunks skipped for this reader.
    const text = rest + chunk.toString('latin1');
    const lines = text.split('\n');
    rest = lines.pop();
    for (const line of lines) {
      printed++;
      const m = /^\[sup\] (\d+) chunks of output skipped/.exec(line);
      if (m) skipped += Number(m[1]);
    }
  });
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitFor(
    'the `sup logs` follower to print a live line',
    () => {
      if (!isAlive(child.pid) && child.exitCode !== null) throw new Error(`sup logs exited ${child.exitCode}: ${stderr}`);
      return printed > 0;
    },
    10_000,
  );
  return {
    tally,
    get skipped() {
      return skipped;
    },
    /** Every burst line reached the follower, or it has been quiet for 500 ms (it was skipped some), at most 10 s. */
    drained: () =>
      waitFor('the follower to catch up', () => tally.distinct === LINES || performance.now() - lastData > 500, 10_000).catch(() => undefined),
    stop: async () => {
      killQuietly(child.pid);
      await Promise.race([exited, sleep(5000)]);
    },
  };
}

/** The app's stamps file: { ready, burst, written: { t, pid } }. */
function stamps(file) {
  if (!existsSync(file)) return {};
  const out = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [kind, t, pid] = line.split(' ');
    if (kind && pid) out[kind] = { t: Number(t), pid: Number(pid) };
  }
  return out;
}

/** Reads what was appended to a file since the last call (the file may not exist yet). */
class FileReader {
  constructor(path) {
    this.path = path;
    this.fd = undefined;
    this.offset = 0;
    this.buffer = Buffer.alloc(4 * 1024 * 1024);
  }

  readNew(onChunk) {
    if (this.fd === undefined) {
      try {
        this.fd = openSync(this.path, 'r');
      } catch {
        return 0;
      }
    }
    let total = 0;
    const size = fstatSync(this.fd).size;
    while (this.offset < size) {
      const n = readSync(this.fd, this.buffer, 0, Math.min(this.buffer.length, size - this.offset), this.offset);
      if (n === 0) break;
      this.offset += n;
      total += n;
      onChunk(this.buffer.subarray(0, n));
    }
    return total;
  }

  close() {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Counts the distinct and repeated sequence numbers of burst lines ("0000001 xxx…", 70 bytes) in a byte stream. */
class LineTally {
  constructor(expected) {
    this.seen = new Uint8Array(expected + 1);
    this.expected = expected;
    this.distinct = 0;
    this.dup = 0;
    this.other = 0;
    this.otherSample = [];
    this.rest = Buffer.alloc(0);
  }

  push(chunk) {
    const data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    let start = 0;
    for (let nl = data.indexOf(0x0a, start); nl !== -1; nl = data.indexOf(0x0a, start)) {
      this.line(data, start, nl);
      start = nl + 1;
    }
    // A copy: the caller may reuse its buffer.
    this.rest = Buffer.from(data.subarray(start));
  }

  line(data, start, end) {
    let n = 0;
    let ok = end - start === WIDTH - 1 && data[start + 7] === 0x20;
    for (let i = start; ok && i < start + 7; i++) {
      const d = data[i] - 0x30;
      if (d < 0 || d > 9) ok = false;
      n = n * 10 + d;
    }
    if (ok && n >= 1 && n <= this.expected) {
      if (this.seen[n] === 0) this.distinct++;
      else this.dup++;
      this.seen[n] = Math.min(this.seen[n] + 1, 255);
      return;
    }
    this.other++;
    if (this.otherSample.length < 3) this.otherSample.push(data.toString('latin1', start, Math.min(end, start + 80)));
  }
}

function describe(r) {
  const parts = [
    `start → app ready ${(r.startToReadyMs / 1000).toFixed(2)} s`,
    `${r.complete ? 'burst → all lines in the file' : 'burst INCOMPLETE after'} ${(r.wallMs / 1000).toFixed(2)} s`,
    `lost ${r.lost}, duplicated ${r.dup}`,
    `daemon CPU ${r.cpu.toFixed(2)} s`,
  ];
  if (r.appWriteMs !== undefined) parts.push(`the app's writes took ${(r.appWriteMs / 1000).toFixed(2)} s`);
  if (r.other) parts.push(`${r.other} malformed lines, e.g. ${JSON.stringify(r.otherSample)}`);
  if (r.follower) parts.push(`follower got ${r.follower.distinct} distinct lines (${r.follower.dup} doubled, ${r.follower.skipped} chunks skipped)`);
  return parts.join('; ');
}

/** Medians per variant; PM2's rows say why they are empty when it could not be installed. */
function rows(results, pm2Label) {
  const labels = { sup: 'sup', 'sup-follow': 'sup + logs follower', pm2: pm2Label };
  const out = [];
  const metric = (key, what, unit, pick, ref) => {
    for (const id of ['sup', 'sup-follow', 'pm2']) {
      const label = `burst 200k×70 B, ${labels[id]}: ${what}${id === 'pm2' && ref ? ` (${PM2_ISSUE_REF})` : ''}`;
      const samples = (results[id] ?? []).map(pick).filter((v) => v !== undefined);
      const stats = samples.length > 0 ? summarize(samples) : { median: NaN, min: NaN, max: NaN, n: 0, samples: [] };
      out.push({ id: `log-burst-${key}-${id}`, label, unit, ...stats, vsNode: false });
    }
  };
  // An incomplete burst has no time to the last line; its losses show in the rows below.
  metric('start', '`start` → all lines in the log file', 's', (r) => (r.complete ? (r.startToReadyMs + r.wallMs) / 1000 : undefined), true);
  metric('wall', 'burst → all lines in the log file', 's', (r) => (r.complete ? r.wallMs / 1000 : undefined));
  metric('lost', 'lines lost', 'lines', (r) => r.lost, true);
  metric('dup', 'lines duplicated', 'lines', (r) => r.dup);
  metric('cpu', 'daemon CPU (user+sys) during the burst', 's', (r) => r.cpu);
  // `sup logs` is sent what it can take; the daemon skips chunks for a reader that falls behind (and says so).
  const follower = (results['sup-follow'] ?? []).map((r) => r.follower.distinct);
  out.push({ id: 'log-burst-follower-lines', label: 'burst 200k×70 B: lines `sup logs --raw` printed', unit: 'lines', ...summarize(follower), vsNode: false });
  return out;
}
