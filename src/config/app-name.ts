/** What an app name may be: targets, log file names and depends_on read it; PM2's numeric names included. */
export const APP_NAME_EXPECTED = 'a name without spaces or slashes that is not "all"';

export function isAppName(name: string): boolean {
  return name.length > 0 && name !== 'all' && !/[\s/\\]/.test(name);
}
