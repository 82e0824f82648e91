import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { SupError } from '../../errors.js';
import { supFile } from '../../install-paths.js';
import { resolvePaths } from '../../paths.js';
import { checkPlatform, systemdUnit, unitName, type UnitSpec } from '../systemd-unit.js';
import { print } from '../session.js';

export interface StartupArgs {
  install: boolean;
  user?: string | undefined;
  unitDir: string;
  /** PM2's platform argument: systemd and the distributions PM2 maps to it. */
  platform?: string | undefined;
  serviceName?: string | undefined;
  /** `--hp`: the user's home (PM2's flag); SUP_HOME is <hp>/.sup. */
  hp?: string | undefined;
}

/** `sup startup`: prints the systemd unit that starts sup (and the saved list) at boot; `--install` writes and enables it. */
export async function startup(args: StartupArgs): Promise<void> {
  checkPlatform(args.platform);
  const spec = unitSpec(args.user, args.hp);
  const unit = systemdUnit(spec);
  const name = unitName(spec.user, args.serviceName);
  const file = join(args.unitDir, name);
  if (!args.install) {
    print(unit);
    print(`# To install it (as root): sudo env PATH="$PATH" ${process.execPath} ${supFile('cli')} startup --install --user ${spec.user}`);
    print('# Then `sup save` chooses the apps it brings back at boot.');
    return;
  }
  try {
    writeFileSync(file, unit, { mode: 0o644 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SupError(
      'REFUSED',
      `cannot write ${file} (${code}); run it as root: sudo env PATH="$PATH" ${process.execPath} ${supFile('cli')} startup --install --user ${spec.user}`,
    );
  }
  print(`wrote ${file}`);
  if (systemdRuns()) {
    systemctl(['daemon-reload']);
    systemctl(['enable', name]);
    print(`enabled ${name}: sup starts at boot with the list \`sup save\` wrote (${join(spec.supHome, 'dump.json')})`);
  } else {
    print(`systemd is not running here; once it does: systemctl daemon-reload && systemctl enable ${name}`);
  }
}

/** `sup unstartup`: disables and removes the unit. */
export async function unstartup(args: StartupArgs): Promise<void> {
  checkPlatform(args.platform);
  const user = args.user ?? userInfo().username;
  const name = unitName(user, args.serviceName);
  const file = join(args.unitDir, name);
  if (!existsSync(file)) return print(`no ${file}; nothing to remove`);
  if (systemdRuns()) systemctl(['disable', name]);
  try {
    rmSync(file);
  } catch (err) {
    throw new SupError('REFUSED', `cannot remove ${file} (${(err as NodeJS.ErrnoException).code}); run it as root`);
  }
  if (systemdRuns()) systemctl(['daemon-reload']);
  print(`removed ${file}`);
}

function unitSpec(user: string | undefined, hp: string | undefined): UnitSpec {
  const me = userInfo();
  const name = user ?? me.username;
  const home = hp ?? (name === me.username ? me.homedir : homeOf(name));
  const supHome = name === me.username && !hp ? resolvePaths().home : join(home, '.sup');
  return {
    user: name,
    home,
    supHome,
    node: process.execPath,
    keeper: supFile('keeper'),
    cli: supFile('cli'),
    path: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  };
}

function homeOf(user: string): string {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[0] === user);
  const home = line?.split(':')[5];
  if (!home) throw new SupError('NOT_FOUND', `no user "${user}" in /etc/passwd`);
  return home;
}

function systemdRuns(): boolean {
  return existsSync('/run/systemd/system');
}

function systemctl(args: string[]): void {
  try {
    execFileSync('systemctl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new SupError(
      'INTERNAL',
      `systemctl ${args.join(' ')} failed: ${String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim()}`,
    );
  }
}
