/**
 * PM2's log_date_format tokens (moment-style), enough for the formats people use:
 * YYYY MM DD HH mm ss SSS Z (e.g. "YYYY-MM-DD HH:mm:ss Z"). Local time, as PM2 does.
 */
const TOKENS = /YYYY|SSS|MM|DD|HH|mm|ss|Z/g;

export function formatDate(date: Date, format: string): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return format.replace(TOKENS, (token) => {
    switch (token) {
      case 'YYYY':
        return String(date.getFullYear());
      case 'MM':
        return pad(date.getMonth() + 1);
      case 'DD':
        return pad(date.getDate());
      case 'HH':
        return pad(date.getHours());
      case 'mm':
        return pad(date.getMinutes());
      case 'ss':
        return pad(date.getSeconds());
      case 'SSS':
        return pad(date.getMilliseconds(), 3);
      default: {
        const offset = -date.getTimezoneOffset();
        const sign = offset >= 0 ? '+' : '-';
        return `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
      }
    }
  });
}

/** `time: true` without a format: ISO 8601 with the local offset. */
export const DEFAULT_LOG_DATE_FORMAT = 'YYYY-MM-DDTHH:mm:ss.SSSZ';
