// sup web's costs, sup only: page weight and first paint in headless chromium, the daemon's and the web server's CPU
// with 0 and then B browsers open on P processes, and the time of a /metrics scrape at P and at S processes.
// Usage: node bench/web.js [--processes 50] [--browsers 5] [--seconds 20] [--scrape-processes 1000]   (after `npm run build`)
// The S processes of the scrape are `sleep` (not Node), so that 1,000 of them fit on a small machine.
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { fixture, SUP_BIN } from '../test/harness/paths.js';
import { cpuSeconds, isAlive, killQuietly, readPidFile } from '../test/harness/proc.js';
import { SupHome } from '../test/harness/sup-home.js';
import { sleep, waitFor } from '../test/harness/wait.js';
import { tmpdir } from 'node:os';

const { values } = parseArgs({
  options: {
    processes: { type: 'string', default: '50' },
    browsers: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '20' },
    'scrape-processes': { type: 'string', default: '1000' },
  },
});
const P = Number(values.processes);
const B = Number(values.browsers);
const SECONDS = Number(values.seconds);
const S = Number(values['scrape-processes']);

/** @param {SupHome} sup */
async function startWeb(sup) {
  const child = spawn(process.execPath, [SUP_BIN, 'web', '--port', '0'], { env: sup.env(), stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const op = await waitFor(
    'sup web to print its address',
    () => /operator[^\n]*?(http:\/\/\S+)/.exec(out)?.[1],
    30_000,
    () => out,
  );
  return { pid: /** @type {number} */ (child.pid), operatorUrl: op, url: op.replace(/\?.*$/, '') };
}

/** @param {string} url @param {Record<string, string>} headers */
function get(url, headers) {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, timeout: 30_000 }, (res) => {
      let bytes = 0;
      res.on('data', (d) => (bytes += d.length));
      res.on('end', () => resolve(bytes));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Median ms of n scrapes. @param {string} url @param {string} token */
async function scrapeMs(url, token, n = 20) {
  const times = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    bytes = /** @type {number} */ (await get(`${url}metrics`, { authorization: `Bearer ${token}` }));
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(n / 2)], bytes };
}

/** CPU % of each pid over the window. @param {number[]} pids */
async function cpuOver(pids) {
  const before = pids.map(cpuSeconds);
  await sleep(SECONDS * 1000);
  return pids.map((pid, i) => ((cpuSeconds(pid) - before[i]) / SECONDS) * 100);
}

const results = {};
const root = join(tmpdir(), `sup-bench-web-${process.pid}`);
const sup = SupHome.create(root);
/** @type {import('playwright-core').Browser | undefined} */
let browser;
let web;
try {
  const eco = join(sup.home, 'eco.json');
  writeFileSync(eco, JSON.stringify({ apps: [{ name: 'app', script: fixture('forever.js'), instances: P, exec_mode: 'fork' }] }));
  await sup.ok(['start', eco], { timeoutMs: 300_000 });
  web = await startWeb(sup);
  const daemon = /** @type {number} */ (readPidFile(join(sup.home, 'daemon.pid')));
  const token = new URL(web.operatorUrl).searchParams.get('token') ?? '';
  await sleep(3000);
  const [daemonIdle, webIdle] = await cpuOver([daemon, web.pid]);
  Object.assign(results, { processes: P, daemon_cpu_no_browser: daemonIdle, web_cpu_no_browser: webIdle });

  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const pages = [];
  for (let i = 0; i < B; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const t = performance.now();
    const response = await page.goto(web.operatorUrl);
    await page.locator(`tr[data-id="${P - 1}"]`).waitFor({ timeout: 60_000 });
    if (i === 0) {
      results.table_ms = performance.now() - t;
      results.first_contentful_paint_ms = await page.evaluate(
        () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      );
      results.page_bytes = (await response?.body())?.length ?? null;
    }
    pages.push(page);
  }
  const [daemonB, webB] = await cpuOver([daemon, web.pid]);
  Object.assign(results, { browsers: B, daemon_cpu_with_browsers: daemonB, web_cpu_with_browsers: webB });
  Object.assign(results, { [`scrape_at_${P}`]: await scrapeMs(web.url, token) });
  await browser.close();
  browser = undefined;

  if (S > 0) {
    writeFileSync(eco, JSON.stringify({ apps: [{ name: 'many', script: 'sleep', args: '100000', instances: S, exec_mode: 'fork' }] }));
    await sup.ok(['delete', 'all']);
    await sup.ok(['start', eco], { timeoutMs: 600_000 });
    await waitFor(`${S} processes listed`, async () => (await sup.list()).length === S, 120_000);
    await sleep(3000);
    Object.assign(results, { [`scrape_at_${S}`]: await scrapeMs(web.url, token, 10) });
  }
  console.log(JSON.stringify(results, null, 2));
} finally {
  await browser?.close();
  if (web && isAlive(web.pid)) killQuietly(web.pid, 'SIGTERM');
  await sup.cleanup();
  rmSync(root, { recursive: true, force: true });
}
