import { SupError } from '../../errors.js';
import { expandTargets } from '../targets.js';
import { labels, print, withDaemon } from '../session.js';

/** `sup send <app> <line..>`, as `pm2 send`: the words, joined by spaces, as one line on the apps' stdin. */
export async function send(args: { target: string; line: string[] }): Promise<void> {
  await withDaemon(async (client) => {
    const { processes } = await client.request('send', { targets: await expandTargets([args.target]), line: args.line.join(' ') });
    print(`wrote a line to the stdin of ${labels(processes)}`);
  });
}

/** `sup message <app> <json>`: a JSON message the app receives with process.on('message'). */
export async function message(args: { target: string; json: string }): Promise<void> {
  const value = parseJson(args.json, 'the message');
  await withDaemon(async (client) => {
    const { processes } = await client.request('message', { targets: await expandTargets([args.target]), message: value });
    print(`sent to ${labels(processes)}`);
  });
}

/** `sup trigger <app> <action> [params]`: calls an action the app registered, and prints each instance's reply. */
export async function trigger(args: { target: string; action: string; params?: string | undefined }): Promise<void> {
  // PM2 passes the parameter as a string; JSON is read as JSON so that objects can be passed too.
  const params = args.params === undefined ? undefined : tryJson(args.params);
  await withDaemon(async (client) => {
    const { replies } = await client.request('trigger', { targets: await expandTargets([args.target]), action: args.action, params });
    for (const r of replies)
      print(`${r.name}#${r.id}: ${r.answered ? JSON.stringify(r.data) : `no reply to "${args.action}" within 10 s`}`);
    if (replies.every((r) => !r.answered)) {
      throw new SupError(
        'NOT_FOUND',
        `no instance answered "${args.action}"; did the app register it (sup's action() or @pm2/io's io.action())?`,
      );
    }
  });
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new SupError('USAGE', `${what} must be JSON (quote strings: '"hello"'), got ${text}`);
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
