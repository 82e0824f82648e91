import { describe, expect, it } from 'vitest';
import { checkPlatform, systemdUnit, unitName } from './systemd-unit.js';

const spec = {
  user: 'deploy',
  home: '/home/deploy',
  supHome: '/home/deploy/.sup',
  node: '/usr/bin/node',
  keeper: '/opt/sup/dist/bin/sup-keeper.cjs',
  cli: '/opt/sup/bin/sup.js',
  path: '/usr/local/bin:/usr/bin:/bin',
};

describe('systemdUnit', () => {
  it('runs the keeper as the user (it starts the daemon with the saved list), restarts it on failure, and stops with sup kill', () => {
    const unit = systemdUnit(spec);
    expect(unit).toContain('User=deploy\n');
    expect(unit).toContain('Environment=SUP_HOME=/home/deploy/.sup\n');
    expect(unit).toContain('Environment=SUP_RESURRECT=1 SUP_KEEPER_MODE=service\n');
    expect(unit).toContain('ExecStart=/usr/bin/node /opt/sup/dist/bin/sup-keeper.cjs\n');
    expect(unit).toContain('ExecStop=/usr/bin/node /opt/sup/bin/sup.js kill\n');
    expect(unit).toContain('KillMode=mixed\n');
    expect(unit).toContain('Restart=on-failure\n');
    expect(unit).toContain('StandardOutput=append:/home/deploy/.sup/daemon.log\n');
    expect(unit).toMatch(/\[Install\]\nWantedBy=multi-user.target\n$/);
    expect(unitName('deploy')).toBe('sup-deploy.service');
  });

  it('quotes paths with spaces and doubles % so that systemd reads them literally', () => {
    const unit = systemdUnit({ ...spec, home: '/home/my user', keeper: '/opt/50%/sup-keeper.js' });
    expect(unit).toContain('WorkingDirectory="/home/my user"\n');
    expect(unit).toContain('ExecStart=/usr/bin/node /opt/50%%/sup-keeper.js\n');
  });
});

describe("PM2's startup arguments", () => {
  it('takes systemd and the distributions PM2 maps to it; names the platforms sup does not write', () => {
    for (const platform of [undefined, 'systemd', 'ubuntu', 'centos', 'redhat', 'debian', 'amazon'])
      expect(() => checkPlatform(platform)).not.toThrow();
    expect(() => checkPlatform('launchd')).toThrow('sup writes systemd units only; "launchd" is not a platform it supports');
    expect(() => checkPlatform('upstart')).toThrow(/"upstart"/);
  });

  it('--service-name names the unit', () => {
    expect(unitName('deploy')).toBe('sup-deploy.service');
    expect(unitName('deploy', 'my-apps')).toBe('my-apps.service');
    expect(unitName('deploy', 'my-apps.service')).toBe('my-apps.service');
  });
});
