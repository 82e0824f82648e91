/** What the boot unit needs to know about this installation and its user. */
export interface UnitSpec {
  user: string;
  home: string;
  supHome: string;
  node: string;
  /** dist/bin/sup-daemon.js of this installation. */
  daemon: string;
  path: string;
}

export function unitName(user: string): string {
  return `sup-${user}.service`;
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
 * The unit `sup startup` writes: systemd runs the daemon, which brings back the saved list (`sup save`) at start.
 * systemd is its guardian (Restart=on-failure; a restarted daemon restores its live state), so sup's own is off.
 * Stopping the service sends SIGTERM to the daemon alone (KillMode=mixed), which stops every app within its
 * kill_timeout; whatever is left after TimeoutStopSec gets SIGKILL.
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
Environment=SUP_RESURRECT=1 SUP_GUARDIAN=off
ExecStart=${quote(literal(spec.node))} ${quote(literal(spec.daemon))}
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
