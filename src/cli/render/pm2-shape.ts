import { incremented } from '../../config/increment-var.js';
import type { ProcessDescription } from '../../protocol/messages.js';

/** PM2's status words; sup's own are the same but for 'waiting-restart' and a one-shot's ends. */
const PM2_STATUS: Record<string, string> = { 'waiting-restart': 'waiting restart', completed: 'stopped', failed: 'errored' };

/**
 * One process as `pm2 jlist` prints it (PM2's lib/God/Methods.js getFormatedProcesses), filled from what sup knows,
 * so that scripts reading pm2_env.status, pm2_env.restart_time, monit.memory or pm_id work unchanged. Env variables
 * are also copied to pm2_env's top level, as PM2 does. Fields PM2 fills from PM2 Plus are empty.
 */
export function pm2Process(p: ProcessDescription, nodeVersion = process.versions.node): Record<string, unknown> {
  const c = p.config;
  const online = p.status === 'online';
  const instanceEnv = { [c.instance_var]: p.instance };
  // PM2 shows each instance's own increment_var value (PORT 3000, 3001...), as a number, at both levels. The base is
  // the app's env (a base that came from the shell of `sup start` is not known here).
  const increment = c.increment_var ? { [c.increment_var]: incremented(c.env[c.increment_var], p.instance) } : {};
  // The variables sup gives every process as PM2 does (pm_id, name) are in its env, as in PM2's.
  const env = { ...c.env, ...increment, pm_id: p.id, name: p.name };
  const pm2Env: Record<string, unknown> = {
    ...c.env,
    name: p.name,
    namespace: p.namespace,
    pm_id: p.id,
    status: PM2_STATUS[p.status] ?? p.status,
    restart_time: p.restarts,
    unstable_restarts: p.unstable_restarts,
    pm_uptime: p.started_at ?? p.created_at,
    created_at: p.created_at,
    exec_mode: `${p.mode}_mode`,
    instances: c.instances,
    instance_var: c.instance_var,
    ...instanceEnv,
    ...increment,
    pm_exec_path: c.script,
    pm_cwd: c.cwd,
    exec_interpreter: c.interpreter,
    node_args: c.interpreter_args,
    args: c.args,
    pm_out_log_path: p.logs.out,
    pm_err_log_path: p.logs.err,
    ...(p.logs.combined ? { pm_log_path: p.logs.combined } : {}),
    merge_logs: c.merge_logs,
    autorestart: c.autorestart,
    autostart: c.autostart,
    treekill: c.treekill,
    // Whether it is watched now, as PM2 shows it: a stopped app is not.
    watch: p.triggers.watch?.active ?? false,
    ignore_watch: c.ignore_watch,
    max_memory_restart: c.max_memory_restart ?? undefined,
    min_uptime: c.min_uptime,
    max_restarts: c.max_restarts,
    kill_timeout: c.kill_timeout,
    restart_delay: c.restart_delay,
    cron_restart: c.cron_restart ?? undefined,
    wait_ready: c.wait_ready,
    listen_timeout: c.listen_timeout,
    stop_exit_codes: c.stop_exit_codes,
    log_date_format: c.log_date_format ?? undefined,
    exit_code: p.exit_code ?? undefined,
    vizion: false,
    pmx: false,
    automation: false,
    km_link: false,
    axm_actions: [],
    axm_monitor: {},
    axm_options: {},
    axm_dynamic: {},
    version: 'N/A',
    node_version: nodeVersion,
    env,
  };
  return {
    pid: p.pid ?? 0,
    name: p.name,
    pm2_env: pm2Env,
    pm_id: p.id,
    monit: { memory: online ? (p.memory ?? 0) : 0, cpu: online ? Math.round((p.cpu ?? 0) * 10) / 10 : 0 },
  };
}
