import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect } from 'vitest';
import { fixture, SUP_BIN } from './harness/paths.js';
import { isAlive } from './harness/proc.js';
import { SupHome } from './harness/sup-home.js';
import { frame, type Pane, Tmux } from './harness/tmux.js';
import { waitFor } from './harness/wait.js';
import { writeEcosystem } from './helpers/apps.js';
import { it, makeTempDir, removeDir, TEST_ROOT } from './helpers/sup-test.js';

/**
 * `sup monit` in a real terminal: tmux runs the real CLI against a real daemon, the tests type keys into it
 * and read the screen back (`capture-pane`). Every wait polls the screen with a deadline and fails with the
 * last screen it saw.
 */

// One tmux server for this file, on a socket of its own; killed (with every pane's processes) at the end.
const tmux = new Tmux('sup-monit');
afterAll(() => tmux.killServer());

const KEYS = '↑↓ move r restart R reload s stop/start d delete l logs / filter ? help q quit';

interface Row {
  id: number;
  name: string;
  mode: string;
  pid: number | null;
  status: string;
  restarts: number;
}

interface MonitScreen {
  text: string;
  lines: string[];
  title: { processes: number; online: number; connection: string; rest: string } | null;
  rows: Row[];
  detail: { name: string; id: number; status: string; lines: string[] } | null;
  logs: { scope: string; lines: string[] } | null;
  footer: string;
  help: boolean;
}

const SGR = /\x1b\[[0-9;]*m/g;
const ROW = /^│(\d+)\s+(\S+)\s+(fork|cluster)\s+(\d+|-)\s+([a-z-]+)\s+(\d+)\s+\S+\s+\S+\s+\S+\s*│$/;

/** Reads what the dashboard shows, by the same landmarks a user looks for. */
function parse(text: string): MonitScreen {
  const lines = text.replace(/\n$/, '').split('\n');
  const t = /sup monit\s+(\d+) process(?:es)?, (\d+) online\s+(connected|disconnected — retrying|connecting…)(.*)$/.exec(lines[0] ?? '');
  const rows: Row[] = [];
  const top = lines.findIndex((l) => l.includes('─ Processes '));
  if (top >= 0 && lines[top + 1]?.includes('↺')) {
    for (const line of lines.slice(top + 2)) {
      if (!line.startsWith('│')) break;
      const m = ROW.exec(line);
      if (m)
        rows.push({
          id: Number(m[1]),
          name: m[2]!,
          mode: m[3]!,
          pid: m[4] === '-' ? null : Number(m[4]),
          status: m[5]!,
          restarts: Number(m[6]),
        });
    }
  }
  const d = lines.findIndex((l) => l.includes('─ Details '));
  const dm = d >= 0 ? /^│(\S+)#(\d+)\s+([a-z-]+)\s+(?:fork|cluster)/.exec(lines[d + 1] ?? '') : null;
  const detailLines: string[] = [];
  if (d >= 0) {
    for (const line of lines.slice(d + 1)) {
      if (!line.startsWith('│')) break;
      detailLines.push(line.slice(1, line.indexOf('│', 1)).trimEnd()); // the left pane, up to its right edge
    }
  }
  const l = lines.findIndex((line) => line.includes('─ Logs: '));
  const lm = l >= 0 ? /─ Logs: (.+?) \(l: (?:all|selected only)\)/.exec(lines[l]!) : null;
  const logLines: string[] = [];
  if (l >= 0) {
    for (const line of lines.slice(l + 1)) {
      if (!line.startsWith('│')) break;
      logLines.push(line.slice(1, -1).trimEnd());
    }
  }
  return {
    text,
    lines,
    title: t ? { processes: Number(t[1]), online: Number(t[2]), connection: t[3]!, rest: t[4]!.trim() } : null,
    rows,
    detail: dm ? { name: dm[1]!, id: Number(dm[2]), status: dm[3]!, lines: detailLines.filter(Boolean) } : null,
    logs: lm ? { scope: lm[1]!, lines: logLines.filter(Boolean) } : null,
    footer: (lines[lines.length - 1] ?? '').trimEnd(),
    help: text.includes('─ Help ') && text.includes('any key closes this help'),
  };
}

/** The row drawn in inverse video (the selection), from a capture with escapes. */
function selectedRow(withEscapes: string): string | undefined {
  const line = withEscapes.split('\n').find((l) => l.startsWith('│') && l.includes('\x1b[7m') && ROW.test(l.replace(SGR, '').trimEnd()));
  return line === undefined ? undefined : ROW.exec(line.replace(SGR, '').trimEnd())![2];
}

/** Every framed line spans exactly the screen's width and ends on a border: nothing of an older layout is left. */
function fitsWidth(s: MonitScreen, width: number): boolean {
  const boxed = s.lines.filter((l) => /^[┌│└]/.test(l));
  return boxed.length > 0 && boxed.every((l) => [...l].length === width && /[┐│┘]$/.test(l)) && [...s.footer].length <= width;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The dashboard in a tmux pane: a marker before it, then its exit code and the terminal's modes after it. */
class Monit {
  constructor(
    readonly pane: Pane,
    readonly width: number,
    readonly height: number,
  ) {}

  static async open(sup: SupHome, width: number, height: number, name: string): Promise<Monit> {
    const script = [
      'echo BEFORE-MONIT',
      `env SUP_HOME=${quote(sup.home)} LANG=C.UTF-8 TERM=xterm-256color ${quote(process.execPath)} ${quote(SUP_BIN)} monit`,
      'echo MONIT-EXITED $?',
      // The line discipline after the dashboard: a restored terminal is back to canonical mode with echo.
      `echo TTY $(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' ')`,
      'sleep 600',
    ].join('; ');
    const pane = await tmux.start(name, { width, height, argv: ['/bin/sh', '-c', script] });
    opened.push(pane);
    return new Monit(pane, width, height);
  }

  async screen(): Promise<MonitScreen> {
    return parse(await this.pane.capture());
  }

  /** Polls the parsed screen until `check` returns something; fails with the last screen. */
  until<T>(what: string, check: (s: MonitScreen) => T | undefined | false | null, timeoutMs = 10_000): Promise<T> {
    return this.pane.waitForScreen(what, (text) => check(parse(text)), timeoutMs);
  }

  /** Title, every app's row, the details of the selection and the footer: the first complete frame. */
  ready(names: string[], timeoutMs = 10_000): Promise<MonitScreen> {
    return this.until(
      `a complete dashboard with rows for ${names.join(', ')}`,
      (s) =>
        s.title?.connection === 'connected' &&
        names.every((n) => s.rows.some((r) => r.name === n)) &&
        s.detail !== null &&
        s.footer.includes('q quit') &&
        s,
      timeoutMs,
    );
  }

  row(s: MonitScreen, name: string): Row | undefined {
    return s.rows.find((r) => r.name === name);
  }

  /** Moves the selection with j/k until the Details pane shows `name`. */
  async select(name: string): Promise<MonitScreen> {
    for (let i = 0; i < 20; i++) {
      const s = await this.screen();
      if (s.detail?.name === name) return s;
      const target = s.rows.findIndex((r) => r.name === name);
      const at = s.rows.findIndex((r) => r.name === s.detail?.name);
      if (target < 0) throw new Error(`no row ${name} to select:\n${frame(s.text)}`);
      await this.pane.send(target > at ? 'j' : 'k');
      await this.until(`the selection to move from ${s.detail?.name}`, (n) => n.detail && n.detail.name !== s.detail?.name && n);
    }
    throw new Error(`could not select ${name}`);
  }
}

let opened: Pane[] = [];
// Before a test's home is cleaned up, so that no dashboard sees its daemon go.
afterEach(async () => {
  for (const pane of opened) await pane.kill();
  opened = [];
});

let sessions = 0;
const session = () => `monit${++sessions}`;

const APPS = ['web', 'ticker', 'echo', 'victim', 'doomed'];

describe('sup monit, one daemon with five apps', () => {
  let sup: SupHome;
  let dir: string;

  // One daemon for the whole block: its five apps take a while to start.
  beforeAll(async () => {
    sup = SupHome.create(TEST_ROOT);
    dir = makeTempDir();
    const file = writeEcosystem(dir, [
      { name: 'web', script: fixture('forever.js') },
      { name: 'ticker', script: fixture('log-ticker.js') },
      { name: 'echo', script: fixture('log-echo.js'), env: { LINES: '1' } },
      { name: 'victim', script: fixture('forever.js') },
      { name: 'doomed', script: fixture('forever.js') },
    ]);
    await sup.ok(['start', file]);
    for (const name of APPS) await sup.waitForStatus(name, 'online');
  });

  afterAll(async () => {
    await sup?.cleanup();
    removeDir(dir);
  });

  for (const [width, height] of [
    [120, 40],
    [80, 24],
  ] as const) {
    it(`at ${width}×${height}: shows a row per app with its pid and "online", fits the screen, and q restores the terminal`, async () => {
      const monit = await Monit.open(sup, width, height, session());
      const s = await monit.ready(APPS);
      const list = await sup.list();
      expect(s.title).toMatchObject({
        processes: list.length,
        online: list.filter((p) => p.status === 'online').length,
        connection: 'connected',
      });
      for (const p of list)
        expect(monit.row(s, p.name)).toEqual({ id: p.id, name: p.name, mode: 'fork', pid: p.pid, status: 'online', restarts: p.restarts });
      expect(s.rows.map((r) => r.id)).toEqual(list.map((p) => p.id).sort((a, b) => a - b));
      expect(s.detail).toMatchObject({ name: s.rows[0]!.name, id: s.rows[0]!.id, status: 'online' });
      expect(s.logs?.scope).toBe(`${s.rows[0]!.name}#${s.rows[0]!.id}`);
      expect(s.footer).toBe(` ${KEYS}`);
      expect(fitsWidth(s, width), frame(s.text)).toBe(true);
      expect(s.lines).toHaveLength(height);
      // The selection is the row in inverse video.
      expect(selectedRow(await monit.pane.capture({ escapes: true }))).toBe(s.rows[0]!.name);
      expect(await monit.pane.display('#{alternate_on}')).toBe('1');

      await monit.pane.send('q');
      const after = await monit.pane.waitForScreen('MONIT-EXITED and the terminal modes', (text) => /^TTY .*$/m.test(text) && text, 15_000);
      expect(after).toMatch(/^MONIT-EXITED 0$/m);
      expect(after).toMatch(/^TTY icanon echo\s*$/m);
      // The screen from before the dashboard is back, and nothing of the dashboard is left on it.
      expect(after).toMatch(/^BEFORE-MONIT$/m);
      expect(after).not.toMatch(/sup monit|Processes|Details|Logs:|[┌│└]/);
      expect(await monit.pane.display('#{alternate_on} #{cursor_flag}')).toBe('0 1');
      expect(await monit.pane.findProcess(/bin\/sup\.cjs monit/)).toBeUndefined();
    });
  }

  it('shows a crash within 2 s: the killed app leaves "online" or counts a restart, then runs again with a new pid', async () => {
    const monit = await Monit.open(sup, 120, 40, session());
    const s = await monit.ready(APPS);
    const victim = await sup.info('victim');
    expect(monit.row(s, 'victim')).toMatchObject({ pid: victim.pid, status: 'online', restarts: victim.restarts });

    const killedAt = Date.now();
    process.kill(victim.pid!, 'SIGKILL');
    const seen = await monit.until(
      'the victim row to show the crash',
      (n) => {
        const r = monit.row(n, 'victim');
        return r && (r.restarts > victim.restarts || r.status !== 'online' || r.pid !== victim.pid) && r;
      },
      // The dashboard redraws within a second; the bound only catches one that stopped following the daemon.
      10_000,
    );
    console.log(`sup monit showed the crash ${Date.now() - killedAt} ms after the SIGKILL`);
    expect(seen.pid).not.toBe(victim.pid);

    const back = await monit.until('the victim online again', (n) => {
      const r = monit.row(n, 'victim');
      return r && r.status === 'online' && r.restarts === victim.restarts + 1 && r.pid !== null && r.pid !== victim.pid && r;
    });
    const now = await sup.info('victim');
    expect(back).toMatchObject({ pid: now.pid, restarts: now.restarts, status: 'online' });
  });

  it('j and k move the selection: the inverse row, the Details pane and the log pane follow', async () => {
    const monit = await Monit.open(sup, 120, 40, session());
    const s = await monit.ready(APPS);
    const [first, second] = s.rows;
    expect(s.detail?.name).toBe(first!.name);

    await monit.pane.send('j');
    const down = await monit.until('Details to show the second row', (n) => n.detail?.name === second!.name && n);
    expect(down.detail).toMatchObject({ id: second!.id, status: 'online' });
    expect(down.logs?.scope).toBe(`${second!.name}#${second!.id}`);
    expect(selectedRow(await monit.pane.capture({ escapes: true }))).toBe(second!.name);

    await monit.pane.send('k');
    await monit.until('Details to show the first row again', (n) => n.detail?.name === first!.name && n);
    expect(selectedRow(await monit.pane.capture({ escapes: true }))).toBe(first!.name);

    // k at the top stays there; G jumps to the last row.
    await monit.pane.send('k', 'G');
    await monit.until('Details to show the last row', (n) => n.detail?.name === s.rows[s.rows.length - 1]!.name && n);
  });

  it('r restarts the selected process: its ↺ count goes up by one and the title says so', async () => {
    const monit = await Monit.open(sup, 120, 40, session());
    await monit.ready(APPS);
    const s = await monit.select('web');
    const before = await sup.info('web');
    expect(monit.row(s, 'web')).toMatchObject({ restarts: before.restarts, pid: before.pid });

    await monit.pane.send('r');
    const after = await monit.until('web restarted', (n) => {
      const r = monit.row(n, 'web');
      return (
        r &&
        r.restarts === before.restarts + 1 &&
        r.status === 'online' &&
        r.pid !== before.pid &&
        n.title?.rest.includes(`restarted web#${before.id}`) &&
        r
      );
    });
    const now = await sup.info('web');
    expect(now.restarts).toBe(before.restarts + 1);
    expect(after.pid).toBe(now.pid);

    // R reloads it: a fork-mode app is restarted, one more on the count.
    await monit.pane.send('R');
    const reloaded = await monit.until('web reloaded', (n) => {
      const r = monit.row(n, 'web');
      return (
        r &&
        r.restarts === before.restarts + 2 &&
        r.status === 'online' &&
        r.pid !== now.pid &&
        n.title?.rest.includes(`reloaded web#${before.id}`) &&
        r
      );
    });
    expect(reloaded.pid).toBe((await sup.info('web')).pid);
    // Only the selected process was restarted.
    for (const p of await sup.list()) if (p.name !== 'web' && p.name !== 'victim') expect(p.restarts, p.name).toBe(0);
  });

  it('s stops the selected process, and s again starts it', async () => {
    const monit = await Monit.open(sup, 120, 40, session());
    await monit.ready(APPS);
    await monit.select('web');
    const before = await sup.info('web');

    await monit.pane.send('s');
    await monit.until('web stopped', (n) => {
      const r = monit.row(n, 'web');
      return (
        r?.status === 'stopped' && r.pid === null && n.detail?.status === 'stopped' && n.title?.rest.includes(`stopped web#${before.id}`)
      );
    });
    expect(await sup.info('web')).toMatchObject({ status: 'stopped', pid: null });
    expect(isAlive(before.pid!)).toBe(false);

    await monit.pane.send('s');
    const started = await monit.until('web started', (n) => {
      const r = monit.row(n, 'web');
      return r?.status === 'online' && r.pid !== null && n.title?.rest.includes(`started web#${before.id}`) && r;
    });
    const now = await sup.info('web');
    expect(now).toMatchObject({ status: 'online', pid: started.pid });
    expect(isAlive(now.pid!)).toBe(true);
  });

  it('/ filters the rows by name; Escape clears the filter, Enter keeps it', async () => {
    const monit = await Monit.open(sup, 120, 40, session());
    const s = await monit.ready(APPS);

    await monit.pane.send('/');
    await monit.until('the filter prompt', (n) => n.footer.startsWith(' filter: █'));
    await monit.pane.type('tick');
    const filtered = await monit.until('only ticker', (n) => n.footer.startsWith(' filter: tick█') && n.rows.length === 1 && n);
    expect(filtered.rows[0]!.name).toBe('ticker');
    expect(filtered.detail?.name).toBe('ticker');
    expect(filtered.title?.processes).toBe(s.title!.processes); // the title still counts every process

    await monit.pane.send('Escape');
    const cleared = await monit.until('every row back', (n) => n.rows.length === s.rows.length && n.footer === ` ${KEYS}` && n);
    expect(cleared.rows.map((r) => r.name)).toEqual(s.rows.map((r) => r.name));

    // Escape then a key at once would read as Alt+key: the screen changed above before this next key.
    await monit.pane.send('/');
    await monit.until('the filter prompt', (n) => n.footer.startsWith(' filter: █'));
    await monit.pane.type('VIC');
    await monit.pane.send('Enter');
    const kept = await monit.until('the filter kept', (n) => n.footer === ` ${KEYS}` && n.title?.rest.includes('filter: VIC') && n);
    expect(kept.rows.map((r) => r.name)).toEqual(['victim']);

    // A filter nothing matches says so.
    await monit.pane.send('Escape');
    await monit.until('every row back', (n) => n.rows.length === s.rows.length && !n.title?.rest.includes('filter:'));
    await monit.pane.send('/');
    await monit.pane.type('zzz');
    await monit.until('no rows', (n) => n.rows.length === 0 && n.text.includes('no process matches "zzz"'));
  });

  it('l switches the log pane between the selected process and all processes', async () => {
    const monit = await Monit.open(sup, 120, 40, session());
    await monit.ready(APPS);
    const s = await monit.select('web');
    const web = monit.row(s, 'web')!;
    const ticker = monit.row(s, 'ticker')!;
    expect(s.logs?.scope).toBe(`web#${web.id}`);
    expect(s.text).toContain('(l: all)');

    await monit.pane.send('l');
    // The ticker prints every 100 ms: its lines, named, fill the pane.
    const all = await monit.until(
      'all processes, with ticker lines',
      (n) => n.logs?.scope === 'all processes' && n.logs.lines.some((line) => line.startsWith(`ticker#${ticker.id} | tick `)) && n,
    );
    expect(all.text).toContain('(l: selected only)');

    await monit.pane.send('l');
    const back = await monit.until('web only again', (n) => n.logs?.scope === `web#${web.id}` && n);
    expect(back.logs!.lines.filter((line) => line.includes('tick '))).toEqual([]);
  });

  it('the log pane shows a line the app just printed, for the selected process and among all', async () => {
    const monit = await Monit.open(sup, 120, 40, session());
    await monit.ready(APPS);
    const s = await monit.select('echo');
    const echo = monit.row(s, 'echo')!;

    // log-echo.js prints `echo <json>` for each message it receives; the JSON braces must show as typed.
    const token = `tok-${randomBytes(6).toString('hex')}`;
    await sup.ok(['message', 'echo', JSON.stringify({ say: token })]);
    await monit.until(
      'the new line in the log pane',
      (n) => n.logs?.scope === `echo#${echo.id}` && n.logs.lines.includes(`echo {"say":"${token}"}`),
      10_000,
    );

    await monit.pane.send('l');
    await monit.until('all processes', (n) => n.logs?.scope === 'all processes');
    const second = `tok-${randomBytes(6).toString('hex')}`;
    await sup.ok(['message', 'echo', JSON.stringify({ say: second })]);
    await monit.until(
      'the new line, named, among all',
      (n) => n.logs?.lines.includes(`echo#${echo.id} | echo {"say":"${second}"}`),
      10_000,
    );
  });

  it('? shows the help, and any key closes it', async () => {
    const monit = await Monit.open(sup, 80, 24, session());
    const s = await monit.ready(APPS);

    await monit.pane.send('?');
    const help = await monit.until('the help', (n) => n.help && n);
    expect(help.text).toContain('r           restart the selected process');

    await monit.pane.send('x');
    const closed = await monit.until('the help closed', (n) => !n.help && n.rows.length === s.rows.length && n);
    expect(closed.detail?.name).toBe(s.detail?.name);
    expect(fitsWidth(closed, 80), frame(closed.text)).toBe(true);
  });

  it('redraws to fit when the terminal is resized (120×40 → 80×24 → 120×40)', async () => {
    const monit = await Monit.open(sup, 120, 40, session());
    const s = await monit.ready(APPS);
    expect(fitsWidth(s, 120), frame(s.text)).toBe(true);

    await monit.pane.resize(80, 24);
    const small = await monit.until(
      'the 80×24 layout',
      (n) => n.lines.length === 24 && fitsWidth(n, 80) && n.rows.length === s.rows.length && n.detail && n.logs && n,
    );
    expect(small.footer).toBe(` ${KEYS}`);
    expect([...small.footer].length).toBeLessThanOrEqual(80);
    expect(small.rows.map((r) => [r.name, r.status])).toEqual(s.rows.map((r) => [r.name, 'online']));
    expect(small.lines[1]).toMatch(/^┌─ Processes ─+┐$/);
    expect(small.lines[22]).toMatch(/^└─+┘$/); // the log pane's bottom edge, just above the footer

    await monit.pane.resize(120, 40);
    await monit.until(
      'the 120×40 layout again',
      (n) => n.lines.length === 40 && fitsWidth(n, 120) && n.rows.length === s.rows.length && n.lines[38]?.startsWith('└'),
    );
  });

  it('d asks first (another key cancels), y deletes: the row goes and `sup list` agrees', async () => {
    const monit = await Monit.open(sup, 120, 40, session());
    await monit.ready(APPS);
    const s = await monit.select('doomed');
    const doomed = await sup.info('doomed');

    await monit.pane.send('d');
    await monit.until('the question', (n) => n.footer.includes(`delete doomed#${doomed.id}? y: delete, any other key: cancel`));
    await monit.pane.send('n');
    await monit.until('the question gone', (n) => n.footer === ` ${KEYS}`);
    expect((await sup.info('doomed')).status).toBe('online');

    await monit.pane.send('d');
    await monit.until('the question', (n) => n.footer.includes(`delete doomed#${doomed.id}?`));
    await monit.pane.send('y');
    const after = await monit.until(
      'doomed gone',
      (n) => !monit.row(n, 'doomed') && n.title?.rest.includes(`deleted doomed#${doomed.id}`) && n,
    );
    expect(after.title?.processes).toBe(s.title!.processes - 1);
    expect(after.rows).toHaveLength(s.rows.length - 1);
    const listed = JSON.parse(await sup.ok(['list', '--json'])) as { name: string }[];
    expect(listed.map((p) => p.name)).not.toContain('doomed');
    await waitFor('the deleted app to end', () => !isAlive(doomed.pid!), 15_000);

    // The selection moved to a remaining row, and the Details pane describes it in full, as for any selection
    // (its script, cwd and log files, like after a key press), not just the fields the table already has.
    const selected = after.detail!.name;
    const [described] = JSON.parse(await sup.ok(['describe', selected, '--json'])) as {
      config: { script: string };
      logs: { out: string };
    }[];
    await monit.until(
      `the Details pane to describe ${selected} in full`,
      (n) =>
        n.detail?.name === selected &&
        n.detail.lines.some((l) => l.startsWith('script') && l.includes(described!.config.script)) &&
        n.detail.lines.some((l) => l.startsWith('out') && l.includes(described!.logs.out)),
      10_000,
    );
  });
});

describe('sup monit and the daemon going away', () => {
  it('shows "disconnected — retrying" when the daemon is killed, and "connected" again by itself when a new one starts', async ({
    sup,
  }) => {
    await sup.ok(['start', fixture('forever.js'), '--name', 'one']);
    await sup.waitForStatus('one', 'online');
    const monit = await Monit.open(sup, 120, 40, session());
    await monit.ready(['one']);

    const pid = Number(/daemon pid (\d+)/.exec(await sup.ok(['ping']))?.[1]);
    expect(pid).toBe(sup.daemonPid());
    process.kill(pid, 'SIGTERM');
    const lost = await monit.until('disconnected', (n) => n.title?.connection === 'disconnected — retrying' && n, 15_000);
    expect(lost.footer).toBe(` ${KEYS}`);
    await waitFor('the old daemon to exit', () => !isAlive(pid), 10_000);

    // While disconnected, an action says it was not done.
    await monit.pane.send('r');
    await monit.until('the not-connected notice', (n) => n.title?.rest.includes('not connected: one#0 was not restarted'));

    // Nothing restarts the daemon but this command; the dashboard only reconnects (it retries every second).
    // The dashboard is paused meanwhile (SIGSTOP to its pid), so that it reconnects only once the new app is
    // online: the common case of an app that comes up within the retry second, made certain.
    const dashboard = await monit.pane.findProcess(/bin\/sup\.cjs monit/);
    expect(dashboard).toBeDefined();
    process.kill(dashboard!, 'SIGSTOP');
    try {
      await sup.ok(['start', fixture('log-echo.js'), '--name', 'two']);
      await waitFor(
        'two online',
        async () => (JSON.parse(await sup.ok(['list', '--json'])) as { status: string }[])[0]?.status === 'online',
      );
    } finally {
      process.kill(dashboard!, 'SIGCONT');
    }
    const newDaemon = sup.daemonPid();
    expect(newDaemon).not.toBe(pid);
    const back = await monit.until(
      'connected to the new daemon, with its app',
      (n) => n.title?.connection === 'connected' && monit.row(n, 'two')?.status === 'online' && n,
      5000,
    );
    // The CLI, not the harness's connection: that one went with the old daemon.
    const list = JSON.parse(await sup.ok(['list', '--json'])) as { name: string }[];
    expect(back.rows.map((r) => r.name)).toEqual(list.map((p) => p.name));
    expect(back.title?.processes).toBe(list.length);
    expect(back.detail?.name).toBe(list[0]!.name);
    // The new daemon reused id 0: the Details pane must describe the new app, not the old one with that id.
    const details = await monit.until(
      "two's script and log file in the Details pane",
      (n) =>
        n.detail?.name === 'two' &&
        n.detail.lines.some((l) => l.includes('log-echo.js')) &&
        n.detail.lines.some((l) => l.includes('two-out.log')) &&
        n,
      10_000,
    );
    expect(details.detail!.lines.join('\n')).not.toContain('one-out.log');
  });
});

describe('sup monit with a chatty app beside a quiet one', () => {
  it("keeps the selected process's last lines in its log pane while another app floods the log", async ({ sup }) => {
    await sup.ok(['start', fixture('log-echo.js'), '--name', 'quiet']);
    await sup.ok(['start', fixture('log-ticker.js'), '--name', 'chatty'], { env: { TICK_MS: '1' } }); // several hundred lines a second
    await sup.waitForStatus('quiet', 'online');
    await sup.waitForStatus('chatty', 'online');
    const monit = await Monit.open(sup, 120, 40, session());
    const s = await monit.ready(['quiet', 'chatty']);
    expect(s.detail?.name).toBe('quiet');

    const token = `tok-${randomBytes(6).toString('hex')}`;
    await sup.ok(['message', 'quiet', JSON.stringify({ say: token })]);
    const line = `echo {"say":"${token}"}`;
    await monit.until("the quiet app's line", (n) => n.logs?.scope === 'quiet#0' && n.logs.lines.includes(line), 10_000);

    // The chatty app prints over a thousand lines meanwhile (the dashboard keeps up with them)…
    const [chatty] = JSON.parse(await sup.ok(['describe', 'chatty', '--json'])) as { id: number; logs: { out: string } }[];
    const lastTick = () => Number(/tick (\d+) \d+\n$/.exec(readFileSync(chatty!.logs.out, 'utf8'))?.[1] ?? 0);
    const from = lastTick();
    await waitFor('1,500 more lines from the chatty app', () => lastTick() >= from + 1500, 15_000, lastTick);
    await monit.pane.send('l');
    await monit.until(
      'recent chatty lines among all',
      (n) =>
        n.logs?.scope === 'all processes' && n.logs.lines.some((l) => Number(/^chatty#\d+ \| tick (\d+) /.exec(l)?.[1]) >= from + 1500),
      10_000,
    );
    await monit.pane.send('l');

    // …and the quiet app's pane still shows the quiet app's last line.
    await monit.until("the quiet app's line, still", (n) => n.logs?.scope === 'quiet#0' && n.logs.lines.includes(line), 10_000);
  });
});
