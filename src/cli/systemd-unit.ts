import { SupError } from '../errors.js';

/** What the boot unit needs to know about this installation and its user. */
export interface UnitSpec {
  user: string;
  home: string;
  supHome: string;
  node: string;
  /** dist/bin/sup-keeper.cjs of this installation. */
  keeper: string;
  /** bin/sup.cjs of this installation (ExecStop: `sup kill`). */
  cli: string;
  path: string;
}

/** `--service-name` names the unit (PM2's flag); else sup-<user>. */
export function unitName(user: string, serviceName?: string): string {
  return serviceName ? `${serviceName.replace(/\.service$/, '')}.service` : `sup-${user}.service`;
}

/** PM2's platform words that mean a systemd unit; PM2's others (launchd, upstart, rc.d, OpenRC...) sup does not write. */
const SYSTEMD_PLATFORMS = new Set(['systemd', 'ubuntu', 'centos', 'redhat', 'debian', 'amazon', 'fedora', 'rhel', 'linux']);

export function checkPlatform(platform: string | undefined): void {
  if (platform === undefined || SYSTEMD_PLATFORMS.has(platform.toLowerCase())) return;
  throw new SupError('USAGE', `sup writes systemd units only; "${platform}" is not a platform it supports (use \`sup startup systemd\`)`);
}

/** systemd quotes: a value with spaces or quotes is written in double quotes with \ escapes. */
function quote(value: string): string {
  return /^[\w./:@+,=%-]+$/.test(value) ? value : `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A value systemd would read as a specifier (%h) must have its % doubled. */
function literal(value: string): string {
  return value.replace(/%/g, '%%');
}

/**
 * The unit `sup startup` writes: systemd runs the keeper (the parent of every app), which starts a daemon that brings
 * back the saved list (`sup save`). A daemon that dies is started again by the keeper, with the apps untouched; a keeper
 * that dies is started again by systemd (Restart=on-failure), and its daemon restores the apps. Stopping the service
 * runs `sup kill` (every app stopped within its kill_timeout, then the keeper ends); whatever is left after
 * TimeoutStopSec gets SIGKILL.
 */
export function systemdUnit(spec: UnitSpec): string {
  const log = literal(`${spec.supHome}/daemon.log`);
  return `[Unit]
Description=sup process supervisor for ${literal(spec.user)}
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${literal(spec.user)}
WorkingDirectory=${quote(literal(spec.home))}
Environment=${quote(literal(`SUP_HOME=${spec.supHome}`))}
Environment=${quote(literal(`PATH=${spec.path}`))}
Environment=SUP_RESURRECT=1 SUP_KEEPER_MODE=service
ExecStart=${quote(literal(spec.node))} ${quote(literal(spec.keeper))}
ExecStop=${quote(literal(spec.node))} ${quote(literal(spec.cli))} kill
KillMode=mixed
TimeoutStopSec=60
Restart=on-failure
RestartSec=1
LimitNOFILE=infinity
StandardOutput=append:${log}
StandardError=append:${log}

[Install]
WantedBy=multi-user.target
`;
}
