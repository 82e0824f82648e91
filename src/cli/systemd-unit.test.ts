import { describe, expect, it } from 'vitest';
import { systemdUnit, unitName } from './systemd-unit.js';

const spec = {
  user: 'deploy',
  home: '/home/deploy',
  supHome: '/home/deploy/.sup',
  node: '/usr/bin/node',
  daemon: '/opt/sup/dist/bin/sup-daemon.js',
  path: '/usr/local/bin:/usr/bin:/bin',
};

describe('systemdUnit', () => {
  it('runs the daemon as the user, with SUP_HOME, the saved list, systemd as its guardian, and stops it gracefully', () => {
    const unit = systemdUnit(spec);
    expect(unit).toContain('User=deploy\n');
    expect(unit).toContain('Environment=SUP_HOME=/home/deploy/.sup\n');
    expect(unit).toContain('Environment=SUP_RESURRECT=1 SUP_GUARDIAN=off\n');
    expect(unit).toContain('ExecStart=/usr/bin/node /opt/sup/dist/bin/sup-daemon.js\n');
    expect(unit).toContain('KillMode=mixed\n');
    expect(unit).toContain('Restart=on-failure\n');
    expect(unit).toContain('StandardOutput=append:/home/deploy/.sup/daemon.log\n');
    expect(unit).toMatch(/\[Install\]\nWantedBy=multi-user.target\n$/);
    expect(unitName('deploy')).toBe('sup-deploy.service');
  });

  it('quotes paths with spaces and doubles % so that systemd reads them literally', () => {
    const unit = systemdUnit({ ...spec, home: '/home/my user', daemon: '/opt/50%/sup-daemon.js' });
    expect(unit).toContain('WorkingDirectory="/home/my user"\n');
    expect(unit).toContain('ExecStart=/usr/bin/node /opt/50%%/sup-daemon.js\n');
  });
});
