import { createRequire } from 'node:module';

type CronClass = typeof import('croner').Cron;
let cronClass: CronClass | undefined;

/**
 * croner, loaded with the first cron schedule (cron_restart, log_rotate_interval) and once for both: most daemons and
 * CLI commands never need it. Required, not imported: synchronous for a log write and a check of the configuration,
 * and left out of the bundles.
 */
export function loadCron(): CronClass {
  cronClass ??= (createRequire(import.meta.url)('croner') as { Cron: CronClass }).Cron;
  return cronClass;
}
