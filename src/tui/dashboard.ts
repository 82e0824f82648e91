import type { SupPaths } from '../paths.js';
import { DaemonLink } from './daemon-link.js';
import { perform } from './actions.js';
import { decideKey, type KeyAction } from './keys.js';
import { DashboardScreen } from './screen.js';
import { MonitModel, type Region } from './view-model.js';

// Redraws are batched: a chatty app's log lines arrive by the thousand, the screen changes at most this often.
const FRAME_MS = 100;

/**
 * `sup monit`: a full-screen view of every process, driven by the daemon's events (nothing is polled;
 * the screen is redrawn only when something shown changed). Resolves when the user quits.
 */
export async function runDashboard(paths: SupPaths): Promise<void> {
  const model = new MonitModel();
  const dirty = new Set<Region>();
  let frame: NodeJS.Timeout | undefined;
  let detailFor: number | null = null;

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

  const screen = new DashboardScreen();
  let quit: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (quit = resolve));

  function changed(regions: Region[], ...more: Region[]): void {
    for (const r of [...regions, ...more]) dirty.add(r);
    if (dirty.size > 0 && !frame) frame = setTimeout(draw, FRAME_MS);
  }

  function draw(): void {
    frame = undefined;
    screen.draw(model, dirty, Date.now());
    dirty.clear();
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

  screen.onKey((press) => act(decideKey(model.mode, press)));
  screen.onResize(() => changed(['layout']));

  dirty.add('layout');
  draw();
  await done;
  clearTimeout(frame);
  link.close();
  screen.destroy();
}
