import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';

/** Names this boot of the machine: Linux's boot id, elsewhere the boot time to the minute. */
export function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return `boot-${Math.round((Date.now() / 1000 - uptime()) / 60)}`;
  }
}
