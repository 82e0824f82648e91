import { createRequire } from 'node:module';
import type { Widgets } from 'blessed';
import type { SupPaths } from '../paths.js';
import { DaemonLink } from './daemon-link.js';
import { perform } from './actions.js';
import { decideKey, type KeyAction, type KeyPress } from './keys.js';
import { chartsText, detailText, footerText, HELP, layout, logsLabel, logsText, tableText, titleText, type Layout } from './render.js';
import { MonitModel, type Region } from './view-model.js';

type Blessed = typeof import('blessed');
// blessed is CommonJS and only the dashboard needs it: loaded here, never by other commands.
const loadBlessed = (): Blessed => createRequire(import.meta.url)('blessed') as Blessed;

// Redraws are batched: a chatty app's log lines arrive by the thousand, the screen changes at most this often.
const FRAME_MS = 100;

interface Panes {
  title: Widgets.BoxElement;
  table: Widgets.BoxElement;
  detail: Widgets.BoxElement;
  charts: Widgets.BoxElement;
  logs: Widgets.BoxElement;
  footer: Widgets.BoxElement;
  help: Widgets.BoxElement;
}

/**
 * `sup monit`: a full-screen view of every process, driven by the daemon's events (nothing is polled;
 * the screen is redrawn only when something shown changed). Resolves when the user quits.
 */
export async function runDashboard(paths: SupPaths): Promise<void> {
  const model = new MonitModel();
  const dirty = new Set<Region>();
  let frame: NodeJS.Timeout | undefined;
  let detailFor: number | null = null;
  let placed: Layout | undefined;

  const link = new DaemonLink(paths, {
    connected: (_client, processes) => {
      model.connection = 'connected';
      model.notice = null;
      detailFor = null;
      changed(model.setList(processes, Date.now()), 'status');
      followSelection();
    },
    event: (event) => {
      const regions = model.apply(event, Date.now());
      changed(regions);
      if (event.type === 'process' && event.process.id === model.selectedId && detailFor === model.selectedId) void loadDetail();
      followSelection();
    },
    disconnected: (reason, retrying) => {
      model.connection = retrying ? 'disconnected' : 'failed';
      model.notice = { text: reason, level: 'error' };
      changed(['status']);
    },
  });
  // Connect (starting the daemon if needed) before taking over the terminal, so that errors print normally.
  await link.start();

  const blessed = loadBlessed();
  const screen = blessed.screen({ smartCSR: true, fullUnicode: true, title: 'sup monit', autoPadding: false, warnings: false });
  // A UTF-8 terminal gets real line-drawing characters, not the VT100 alternate set (which screen readers,
  // tmux captures and some terminals show as letters).
  const tput = screen.tput as unknown as { unicode: boolean; brokenACS: boolean };
  if (tput.unicode) tput.brokenACS = true;
  const panes = createPanes(blessed, screen);
  let quit: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (quit = resolve));

  function changed(regions: Region[], ...more: Region[]): void {
    for (const r of [...regions, ...more]) dirty.add(r);
    if (dirty.size > 0 && !frame) frame = setTimeout(draw, FRAME_MS);
  }

  function draw(): void {
    frame = undefined;
    const now = Date.now();
    const width = screen.width as number;
    const height = screen.height as number;
    const sizes = layout(height, model.visible().length);
    if (JSON.stringify(sizes) !== JSON.stringify(placed)) dirty.add('layout');
    // A pane's text is rebuilt only when it changed: blessed parses every setContent again.
    const is = (region: Region) => dirty.has(region) || dirty.has('layout');
    if (is('layout')) {
      place(panes, sizes, height);
      placed = sizes;
    }
    if (is('table') || is('status')) panes.title.setContent(titleText(model));
    if (is('table')) panes.table.setContent(tableText(model, width, sizes.table, now));
    if (is('detail')) panes.detail.setContent(detailText(model, Math.floor(width / 2)));
    if (is('charts')) panes.charts.setContent(chartsText(model, width - Math.floor(width / 2), sizes.info));
    if (is('logs')) {
      panes.logs.setLabel(logsLabel(model));
      panes.logs.setContent(logsText(model, width, sizes.logs));
    }
    if (is('status')) panes.footer.setContent(footerText(model, width));
    if (model.mode === 'help') panes.help.show();
    else panes.help.hide();
    dirty.clear();
    screen.render();
  }

  /** Whatever moved the selection (a key, a removal, a filter, a reconnect), the details and history follow it. */
  function followSelection(): void {
    if (model.selectedId !== detailFor) void loadSelection();
  }

  /** The selected process's details and history. */
  async function loadSelection(): Promise<void> {
    const id = model.selectedId;
    const client = link.current;
    detailFor = id;
    if (id === null || !client) return;
    await loadDetail();
    try {
      const { samples } = await client.request('history', { id });
      changed(model.setHistory(id, samples));
    } catch {
      // gone meanwhile: the next event says so
    }
  }

  async function loadDetail(): Promise<void> {
    const id = model.selectedId;
    const client = link.current;
    if (id === null || !client) return;
    try {
      const [detail] = (await client.request('describe', { targets: [String(id)] })).processes;
      changed(model.setDetail(detail ?? null));
    } catch {
      // deleted meanwhile
    }
  }

  function act(action: KeyAction): void {
    changed(perform(action, model, link.current, changed, quit));
    followSelection();
  }

  screen.on('keypress', (ch: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) => {
    const press: KeyPress = { name: key?.name, ch, ctrl: key?.ctrl === true };
    act(decideKey(model.mode, press));
  });
  screen.on('resize', () => changed(['layout']));

  dirty.add('layout');
  draw();
  await done;
  clearTimeout(frame);
  link.close();
  screen.destroy();
}

function createPanes(blessed: Blessed, screen: Widgets.Screen): Panes {
  const box = (options: Widgets.BoxOptions) => blessed.box({ parent: screen, tags: true, wrap: false, ...options });
  const framed = (label: string) => box({ label, border: { type: 'line' }, style: { border: { fg: 'blue' } } });
  const panes: Panes = {
    title: box({ top: 0, left: 0, width: '100%', height: 1, style: { bg: 'blue', fg: 'white' } }),
    table: framed(' Processes '),
    detail: framed(' Details '),
    charts: framed(' CPU and memory '),
    logs: framed(' Logs '),
    footer: box({ left: 0, width: '100%', height: 1, style: { bg: 'blue', fg: 'white' } }),
    help: box({
      top: 'center',
      left: 'center',
      width: 66,
      height: 16,
      border: { type: 'line' },
      label: ' Help ',
      content: HELP,
      hidden: true,
      style: { border: { fg: 'yellow' } },
    }),
  };
  return panes;
}

/** Positions the panes for the current size (blessed keeps them until the next call). */
function place(panes: Panes, sizes: Layout, height: number): void {
  panes.table.top = 1;
  panes.table.left = 0;
  panes.table.width = '100%';
  panes.table.height = sizes.table;
  panes.detail.top = 1 + sizes.table;
  panes.detail.left = 0;
  panes.detail.width = '50%';
  panes.detail.height = sizes.info;
  panes.charts.top = 1 + sizes.table;
  panes.charts.left = '50%';
  panes.charts.width = '50%';
  panes.charts.height = sizes.info;
  panes.logs.top = 1 + sizes.table + sizes.info;
  panes.logs.left = 0;
  panes.logs.width = '100%';
  panes.logs.height = sizes.logs;
  panes.footer.top = height - 1;
  panes.help.setFront();
}
