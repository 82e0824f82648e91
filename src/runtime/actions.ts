/**
 * Actions an app offers to `sup trigger <app> <name> [params]`, in an app: `import { action } from 'sup/runtime'`.
 * The wire is @pm2/io's (`axm:action` to register, `{ msg, opts }` to call, `axm:reply` to answer), so an app that
 * uses @pm2/io's io.action() answers `sup trigger` too, and this works under PM2.
 */
export type ActionHandler = (params: unknown, reply: (data: unknown) => void) => void;

export function action(name: string, handler: ActionHandler): void {
  if (typeof process.send !== 'function') return;
  process.send({ type: 'axm:action', data: { action_name: name, action_type: 'custom', arity: 2 } });
  process.on('message', (message: unknown) => {
    const call = message as { msg?: unknown; action_name?: unknown; opts?: unknown } | string | null;
    const called = typeof call === 'string' ? call : (call?.msg ?? call?.action_name);
    if (called !== name) return;
    const reply = (data: unknown) => process.send?.({ type: 'axm:reply', data: { return: data, action_name: name } });
    handler(typeof call === 'object' ? call?.opts : undefined, reply);
  });
}
