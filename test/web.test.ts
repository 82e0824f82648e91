import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { homeEcosystem } from './helpers/apps.js';
import { fixture, REPO } from './harness/paths.js';
import { waitFor } from './harness/wait.js';
import { it } from './helpers/sup-test.js';
import { startWeb, type WebProcess } from './helpers/web-server.js';

/**
 * `sup web` as a person and a scraper meet it: a real daemon, the real `sup web` process, Debian's chromium
 * driven by playwright-core, promtool on a real scrape, and raw HTTP and WebSocket requests for the refusals.
 */

const ARTIFACTS = process.env.SUP_ARTIFACTS ?? join(REPO, 'test-results');
let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => browser?.close());

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket to the dashboard; resolves with the HTTP status it was refused with, or 101. */
function upgrade(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + 'ws', { headers, handshakeTimeout: 10_000 });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', reject);
  });
}

const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

async function withWeb<T>(web: WebProcess, body: (web: WebProcess) => Promise<T>): Promise<T> {
  try {
    return await body(web);
  } finally {
    await web.stop();
  }
}

describe('sup web', () => {
  it('logs in by the printed address, shows the apps live, streams a log line, and restarts on a click', async ({ sup }) => {
    await sup.ok(['start', fixture('log-echo.js'), '--name', 'echo']);
    await withWeb(await startWeb(sup), async (web) => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const started = Date.now();
        const response = await page.goto(web.operatorUrl);
        const pageBytes = (await response!.body()).length;
        // The token left the address bar; an HttpOnly, SameSite=Strict cookie stands for it.
        expect(page.url()).toMatch(new RegExp(`^${web.url}s/[0-9a-f]{32}/$`));
        const [cookie] = await context.cookies();
        expect(cookie).toMatchObject({ name: 'sup_session', httpOnly: true, sameSite: 'Strict' });
        const row = page.locator('tr[data-id="0"]');
        await row.locator('.status.online').waitFor({ timeout: 20_000 });
        const firstPaint = Date.now() - started;
        await expect(row.locator('td').nth(1).textContent()).resolves.toBe('echo');

        await page.selectOption('#app', 'echo');
        const marker = `marker-${Math.random().toString(36).slice(2)}`;
        // The log view subscribes after the select; send until the line shows (a send before it would only be in the tail).
        await waitFor(
          `the page to show ${marker}`,
          async () => {
            await (await sup.client()).request('message', { targets: ['echo'], message: marker });
            return page
              .locator('#logs', { hasText: marker })
              .count()
              .then((n) => n > 0);
          },
          20_000,
          () => page.locator('#logs').textContent(),
          500,
        );

        await row.locator('button[data-act="restart"]').click();
        await row.locator('td.restarts', { hasText: '1' }).waitFor({ timeout: 20_000 });
        expect((await sup.list())[0]!.restarts).toBe(1);
        await row.locator('.status.online').waitFor({ timeout: 20_000 });

        await row.click();
        await page.locator('#detail:not([hidden])').waitFor();
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, 'web-dashboard.png'), fullPage: true });
        console.log(`sup web: page ${pageBytes} bytes; table shown ${firstPaint} ms after opening the login address`);
        expect(pageBytes).toBeLessThan(32 * 1024);
      } finally {
        await context.close();
      }
    });
  });

  it('with the read-only token shows the apps but refuses every action, on the server', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'ro']);
    await withWeb(await startWeb(sup), async (web) => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(web.viewerUrl);
        await page.locator('tr[data-id="0"] .status.online').waitFor({ timeout: 20_000 });
        expect(await page.locator('button[data-act]').count()).toBe(0);
        // The page hides the buttons; the server is what refuses: send the action by hand over the page's own cookie.
        // A string, not a function: vitest would rewrite the name WebSocket (imported from ws in this file) inside it.
        const reply = await page.evaluate(`new Promise((resolve) => {
          const ws = new WebSocket('ws://' + location.host + location.pathname + 'ws');
          ws.onopen = () => ws.send(JSON.stringify({ type: 'action', ref: 7, action: 'restart', id: 0 }));
          ws.onmessage = (m) => { const msg = JSON.parse(m.data); if (msg.type === 'result' && msg.ref === 7) resolve(msg); };
        })`);
        expect(reply).toMatchObject({ ok: false, text: expect.stringContaining('read-only') });
        expect((await sup.list())[0]!.restarts).toBe(0);
      } finally {
        await context.close();
      }
    });
  });

  it('shows nothing without a token, refuses a foreign Origin and a foreign Host, and sends no CORS header', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'secretapp']);
    await withWeb(await startWeb(sup), async (web) => {
      const host = new URL(web.url).host;
      const anonymous = await get(web.url);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).not.toContain('secretapp');
      expect((await get(`${web.url}metrics`)).status).toBe(401);
      expect((await get(`${web.url}metrics`, { authorization: 'Bearer nope' })).status).toBe(401);
      expect((await get(`${web.url}?token=${'0'.repeat(64)}`)).status).toBe(401);
      // DNS rebinding: the same server reached under another name answers nothing.
      expect((await get(web.viewerUrl, { host: `evil.example:${new URL(web.url).port}` })).status).toBe(421);

      const login = await get(web.operatorUrl);
      expect(login.status).toBe(303);
      const setCookie = String(login.headers['set-cookie']);
      const cookie = setCookie.split(';')[0]!;
      // The session's path is this run's own: cookies do not tell ports apart, so another local server must not get it.
      const base = new URL(String(login.headers.location), web.url).href;
      expect(base).toMatch(/\/s\/[0-9a-f]{32}\/$/);
      expect(setCookie).toContain(`Path=${new URL(base).pathname};`);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      expect((await get(base)).status).toBe(401);
      expect(await upgrade(base, { cookie, origin: 'http://evil.example' })).toBe(403);
      expect(await upgrade(base, { cookie, origin: `http://${host}.evil.example` })).toBe(403);
      expect(await upgrade(base, { cookie })).toBe(403);
      expect(await upgrade(base, { origin: `http://${host}` })).toBe(401);
      expect(await upgrade(base, { cookie, origin: `http://${host}` })).toBe(101);

      const page = await get(base, { cookie, origin: 'http://evil.example' });
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>sup</title>');
      for (const reply of [anonymous, login, page, await get(`${web.url}metrics`, { authorization: `Bearer ${tokenOf(web.viewerUrl)}` })]) {
        expect(reply.headers['access-control-allow-origin']).toBeUndefined();
      }
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    });
  });

  it('rate-limits wrong tokens', async ({ sup }) => {
    await withWeb(await startWeb(sup), async (web) => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await get(`${web.url}?token=wrong${i}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      // Even the right token waits out the window: a guesser cannot tell when it hit.
      expect((await get(web.operatorUrl)).status).toBe(429);
    });
  });

  it('serves /metrics that promtool accepts, with the figures of `sup list`', async ({ sup }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'm', '-i', '2']);
    await sup.ok(['restart', 'm']);
    await withWeb(await startWeb(sup), async (web) => {
      const bearer = { authorization: `Bearer ${tokenOf(web.viewerUrl)}` };
      // Wait for one monitor pass, so that memory is there.
      const text = await waitFor('a scrape with memory figures', async () => {
        const r = await get(`${web.url}metrics`, bearer);
        return r.status === 200 && r.body.includes('sup_process_memory_bytes') ? r.body : undefined;
      });
      execFileSync('promtool', ['check', 'metrics'], { input: text });
      const list = await sup.list();
      for (const p of list) {
        const l = `app="m",id="${p.id}",instance="${p.instance}",namespace="default"`;
        expect(text).toContain(`sup_process_restarts_total{${l}} ${p.restarts}`);
        expect(text).toContain(`sup_process_pid{${l}} ${p.pid}`);
        expect(text).toContain(`sup_process_status{${l},status="online"} 1`);
        const memory = Number(new RegExp(`sup_process_memory_bytes\\{${l}\\} (\\d+)`).exec(text)?.[1]);
        expect(memory).toBeGreaterThan(p.memory! / 2);
        expect(memory).toBeLessThan(p.memory! * 2);
      }
      expect(text).toMatch(/^sup_daemon_up\{version="[^"]+"\} 1$/m);
      // The operator's token works too.
      expect((await get(`${web.url}metrics`, { authorization: `Bearer ${tokenOf(web.operatorUrl)}` })).status).toBe(200);
    });
  });
  it('counts restarts for the memory limit in /metrics', async ({ sup }) => {
    await withWeb(await startWeb(sup), async (web) => {
      const bearer = { authorization: `Bearer ${tokenOf(web.viewerUrl)}` };
      await sup.ok([
        'start',
        homeEcosystem(sup, [
          { name: 'leaky', script: fixture('leak.js'), max_memory_restart: '100M', env: { LEAK_AFTER_MS: '500', LEAK_CAP_MB: '300' } },
        ]),
      ]);
      const text = await waitFor(
        'a memory-limit restart in /metrics',
        async () => {
          const r = await get(`${web.url}metrics`, bearer);
          return /^sup_process_memory_limit_restarts_total\{app="leaky"[^}]*\} [1-9]/m.test(r.body) ? r.body : undefined;
        },
        60_000,
      );
      const [p] = await sup.list();
      expect(p!.restart_reason).toMatch(/memory limit/);
      execFileSync('promtool', ['check', 'metrics'], { input: text });
    });
  });
  it('refuses a bad --port and a port in use with a message, and exits non-zero', async ({ sup }) => {
    const bad = await sup.run(['web', '--port', '70000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be a port number from 0 to 65535, got 70000');
    await withWeb(await startWeb(sup), async (web) => {
      const taken = await sup.run(['web', '--port', new URL(web.url).port]);
      expect(taken.code).not.toBe(0);
      expect(taken.stderr).toMatch(/cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\); choose another --port/);
    });
  });
});
