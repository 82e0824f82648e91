import { DAEMON_OWN_VARS, HOOK_ENV } from '../../../env.js';
import { withExtraCaRestored } from '../../../extra-ca.js';
import type { AppEvent } from '../../../protocol/messages.js';

/** What a hook receives: the event, and on a rate limit's summary, how many were held back. */
export type HookPayload = AppEvent & { summary?: { suppressed: number; window_start: number; window_ms: number } };

/**
 * A command hook's environment: the daemon's (less what describes the daemon itself, and with NODE_EXTRA_CA_CERTS as
 * the daemon was given it), and the event as SUP_* variables.
 */
export function hookEnv(base: NodeJS.ProcessEnv, payload: HookPayload): NodeJS.ProcessEnv {
  const env = withExtraCaRestored(base);
  for (const name of DAEMON_OWN_VARS) delete env[name];
  const set = (name: string, value: string | number | null | undefined) => {
    if (value !== null && value !== undefined) env[name] = String(value);
  };
  set(HOOK_ENV.event, payload.event);
  set(HOOK_ENV.app, payload.app);
  set(HOOK_ENV.id, payload.id);
  set(HOOK_ENV.instance, payload.instance);
  set(HOOK_ENV.pid, payload.pid);
  set(HOOK_ENV.exitCode, payload.exit_code);
  set(HOOK_ENV.signal, payload.signal);
  set(HOOK_ENV.reason, payload.reason);
  set(HOOK_ENV.stderr, payload.stderr.join('\n'));
  set(HOOK_ENV.suppressed, payload.summary?.suppressed);
  return env;
}

/** One line for people: "api#3 crash: exited with code 1". */
export function eventLine(payload: HookPayload): string {
  return `${payload.app}#${payload.id} ${payload.event}${payload.reason ? `: ${payload.reason}` : ''}`;
}

/**
 * A webhook's body: the event, plus the line as `text` (Slack, Mattermost) and `content` (Discord), which those
 * receivers require and others ignore.
 */
export function webhookBody(payload: HookPayload): string {
  const line = eventLine(payload);
  return JSON.stringify({ ...payload, text: line, content: line });
}
