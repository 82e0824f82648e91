import { readFileSync } from 'node:fs';

/** Looks up a user or group name in /etc/passwd or /etc/group (the third field is the id). */
function idOf(file: string, name: string): number | undefined {
  try {
    const line = readFileSync(file, 'utf8')
      .split('\n')
      .find((l) => l.split(':')[0] === name);
    const id = line?.split(':')[2];
    return id === undefined ? undefined : Number(id);
  } catch {
    return undefined;
  }
}

export interface AccountProbe {
  uid(name: string): number | undefined;
  gid(name: string): number | undefined;
}

export const SYSTEM_ACCOUNTS: AccountProbe = {
  uid: (name) => idOf('/etc/passwd', name),
  gid: (name) => idOf('/etc/group', name),
};

/**
 * uid and gid as numbers. A name that is no account here is an error; so is another user than sup's own when sup does
 * not run as root (the app could not be started as asked, and running it as sup's user instead would not be what the
 * file says).
 */
export function resolveAccount(
  value: number | string | undefined,
  kind: 'uid' | 'gid',
  accounts: AccountProbe,
): { id: number | null } | { error: string } {
  if (value === undefined) return { id: null };
  const id = typeof value === 'number' || /^\d+$/.test(value) ? Number(value) : accounts[kind](value);
  if (id === undefined) return { error: `${kind} "${value}" is no ${kind === 'uid' ? 'user' : 'group'} on this machine` };
  const own = kind === 'uid' ? process.getuid?.() : process.getgid?.();
  if (own !== undefined && own !== 0 && process.getuid?.() !== 0 && id !== own) {
    return {
      error: `${kind} ${value}: sup runs as ${kind} ${own}, not root, and cannot start an app as another ${kind === 'uid' ? 'user' : 'group'}`,
    };
  }
  return { id };
}
