import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cpuSeconds } from '../../test/harness/proc.js';
import { sleep, waitFor } from '../../test/harness/wait.js';
import { pairRow } from '../lib/pair.js';
import { installPm2, Pm2Home } from '../lib/pm2.js';
import { pick } from '../lib/quick.js';
import { benchApp } from '../lib/home-root.js';

const LINES = 200_000;
const WIDTH = 70; // bytes per line, newline included
const ROUNDS = pick(3, 2);
const POLL_MS = 5;
const DEADLINE_MS = 30_000; // for one burst to reach the log file
const STALL_MS = 3000; // the app has written everything and the file stopped growing: lines were lost
const APP = 'burst';

const VARIANTS = [
  { id: 'sup', label: 'sup' },
  { id: 'pm2', label: 'PM2' },
];

/**
 * A burst of 200,000 numbered 70-byte lines (14 MB) that an app writes to stdout as fast as the pipe takes them:
 * how long until every line is in the log file, how many are missing or doubled there, and the CPU time the
 * supervisor's daemon spent meanwhile. sup and PM2 (installed into the run's temp dir), interleaved over 3 rounds
 * on one daemon each, started beforehand.
 *
 * The app, once ready, waits for SIGUSR2, so that two times are measured:
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
      await home.ok(['ping']);
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
      return rows(results, installed.unavailable);
    } finally {
      if (pm2) await pm2.cleanup();
      await root.release(home);
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

/** One burst: start the app (it waits), signal it, read the log file until it has every line. */
async function burst({ variant, home, pm2, daemon, files }) {
  const env = { BENCH_BURST_STAMPS: files.stamps, BENCH_BURST_LINES: String(LINES) };
  try {
    if (variant === 'sup') {
      const app = { name: APP, script: benchApp('log-burst.js'), out_file: files.out, error_file: files.err, log_max_size: 0, env };
      writeFileSync(files.ecosystem, JSON.stringify({ apps: [app] }));
    }
    const startedAt = Date.now();
    if (variant === 'pm2') await pm2.pm2(['start', benchApp('log-burst.js'), '--name', APP, '-o', files.out, '-e', files.err], { env });
    else await home.ok(['start', files.ecosystem], { env });
    const ready = await waitFor(`${APP} to be ready (${files.stamps})`, () => stamps(files.stamps).ready, 15_000);

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
    };
  } finally {
    // A failed delete must not hide why the burst failed; the next start would fail on the name anyway.
    await (variant === 'pm2' ? pm2.pm2(['delete', APP]) : home.ok(['delete', APP])).catch((err) =>
      process.stderr.write(`log-burst: delete failed: ${err.message}\n`),
    );
  }
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
  return parts.join('; ');
}

/** Medians per tool; PM2's side says why it is empty when it could not be installed. */
function rows(results, pm2Unavailable) {
  const metric = (key, what, unit, pickFrom) => {
    const side = (id) => (results[id] ? results[id].map(pickFrom) : { na: pm2Unavailable });
    return pairRow({ id: `log-burst-${key}`, label: `log burst 200k × 70 B: ${what}`, unit, sup: side('sup'), pm2: side('pm2') });
  };
  // An incomplete burst has no time to the last line; its losses show in the lost row.
  return [
    metric('wall', 'burst → all lines in the log file', 's', (r) => (r.complete ? r.wallMs / 1000 : undefined)),
    metric('start', '`start` → all lines in the log file', 's', (r) => (r.complete ? (r.startToReadyMs + r.wallMs) / 1000 : undefined)),
    metric('lost', 'lines lost (+ duplicated)', 'lines', (r) => r.lost + r.dup),
    metric('cpu', 'daemon CPU during the burst', 's', (r) => r.cpu),
  ];
}
