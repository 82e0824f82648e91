import { isAlive } from '../../test/harness/proc.js';
import { sleep } from '../../test/harness/wait.js';
import { alternate, pairRow } from '../lib/pair.js';
import { pick } from '../lib/quick.js';
import { benchApp } from '../lib/home-root.js';
import { openTools } from '../lib/tools.js';

const ROUNDS = pick(5, 3);

/**
 * `stop` of an app that ignores SIGINT and SIGTERM, with both tools' default kill_timeout (1600 ms): the command's
 * wall time, and a check that the process is really gone when it returns. Alternating sup and PM2.
 */
export default {
  name: 'stop-time',
  async run({ root, log }) {
    const t = await openTools(root, log);
    try {
      for (const id of t.ids) await t.get(id).startApps([{ name: 'stubborn', script: benchApp('ignore-signals.js') }]);
      log(`stop-time: ${ROUNDS} stops of a signal-ignoring app, ${t.ids.join(' and ')} alternating`);
      const times = await alternate(ROUNDS, t.ids, async (id) => {
        const tool = t.get(id);
        const [app] = await tool.waitForStatus('stubborn', 'online', 15_000);
        // A signal handler installed a moment after the process is listed online would miss the first signal.
        await sleep(300);
        const { ms } = await tool.run(['stop', 'stubborn'], { timeoutMs: 30_000 });
        if (isAlive(app.pid)) throw new Error(`${id}: pid ${app.pid} still runs after \`stop\` returned`);
        await tool.run(['start', 'stubborn']);
        return ms;
      });
      log(`stop-time: ${t.ids.map((id) => `${id} ${times[id].map(Math.round).join(', ')} ms`).join('; ')}`);
      const beyond = await stopBeyondExit(t, log);
      return [
        pairRow({
          id: 'stop-time',
          label: '`stop` of an app ignoring SIGINT/SIGTERM (default kill_timeout)',
          unit: 'ms',
          sup: times.sup,
          pm2: t.pm2Side(times.pm2),
        }),
        pairRow({
          id: 'stop-beyond-exit',
          label: "`stop` of an app that exits at once on SIGTERM, beyond `ping` (the CLI's own cost) in the same round",
          unit: 'ms',
          sup: beyond.sup,
          pm2: t.pm2Side(beyond.pm2),
        }),
      ];
    } finally {
      await t.close();
    }
  },
};

/**
 * `stop` of an idle app (no signal handler: it exits at once on SIGTERM) minus `ping` run just before it: what the
 * supervisor adds to the app's own exit, with the CLI's start and connection cost taken out.
 */
async function stopBeyondExit(t, log) {
  for (const id of t.ids) await t.get(id).startApps([{ name: 'quick', script: benchApp('idle.js') }]);
  const rounds = pick(7, 4);
  const times = await alternate(rounds, t.ids, async (id) => {
    const tool = t.get(id);
    await tool.waitForStatus('quick', 'online', 15_000);
    const ping = (await tool.run(['ping'])).ms;
    const stop = (await tool.run(['stop', 'quick'], { timeoutMs: 30_000 })).ms;
    await tool.run(['start', 'quick']);
    return stop - ping;
  });
  log(`stop-time: beyond ping: ${t.ids.map((id) => `${id} ${times[id].map(Math.round).join(', ')} ms`).join('; ')}`);
  return times;
}
