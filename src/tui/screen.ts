import { createRequire } from 'node:module';
import type { Widgets } from 'blessed';
import type { KeyPress } from './keys.js';
import { chartsText, detailText, footerText, HELP, layout, logsLabel, logsText, tableText, titleText, type Layout } from './render.js';
import type { MonitModel, Region } from './view-model.js';

type Blessed = typeof import('blessed');
// blessed is CommonJS and only the dashboard needs it: loaded here, never by other commands.
const loadBlessed = (): Blessed => createRequire(import.meta.url)('blessed') as Blessed;

interface Panes {
  title: Widgets.BoxElement;
  table: Widgets.BoxElement;
  detail: Widgets.BoxElement;
  charts: Widgets.BoxElement;
  logs: Widgets.BoxElement;
  footer: Widgets.BoxElement;
  help: Widgets.BoxElement;
}

/** The terminal side of the dashboard: blessed's screen and panes, filled from the model's text. */
export class DashboardScreen {
  private readonly screen: Widgets.Screen;
  private readonly panes: Panes;
  private placed: Layout | undefined;

  constructor() {
    const blessed = loadBlessed();
    this.screen = blessed.screen({ smartCSR: true, fullUnicode: true, title: 'sup monit', autoPadding: false, warnings: false });
    // A UTF-8 terminal gets real line-drawing characters, not the VT100 alternate set (which screen readers,
    // tmux captures and some terminals show as letters).
    const tput = this.screen.tput as unknown as { unicode: boolean; brokenACS: boolean };
    if (tput.unicode) tput.brokenACS = true;
    this.panes = createPanes(blessed, this.screen);
  }

  onKey(handler: (press: KeyPress) => void): void {
    this.screen.on('keypress', (ch: string | undefined, key: { name?: string; ctrl?: boolean } | undefined) =>
      handler({ name: key?.name, ch, ctrl: key?.ctrl === true }),
    );
  }

  onResize(handler: () => void): void {
    this.screen.on('resize', handler);
  }

  /** Rebuilds the text of the regions that changed (blessed parses every setContent again), then renders. */
  draw(model: MonitModel, dirty: ReadonlySet<Region>, now: number): void {
    const { panes } = this;
    const width = this.screen.width as number;
    const height = this.screen.height as number;
    const sizes = layout(height, model.visible().length);
    const relayout = dirty.has('layout') || JSON.stringify(sizes) !== JSON.stringify(this.placed);
    const is = (region: Region) => relayout || dirty.has(region);
    if (relayout) {
      place(panes, sizes, height);
      this.placed = sizes;
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
    this.screen.render();
  }

  /** Gives the terminal back as it was. */
  destroy(): void {
    this.screen.destroy();
  }
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
