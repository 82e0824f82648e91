/** Every failure sup reports carries one of these codes; the two mains turn them into replies or exit codes. */
export type ErrorCode =
  | 'USAGE'
  | 'BAD_REQUEST'
  | 'UNKNOWN_REQUEST'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_CONFIG'
  | 'SCRIPT_NOT_FOUND'
  | 'VERSION_MISMATCH'
  | 'DAEMON_UNREACHABLE'
  | 'DAEMON_START_FAILED'
  | 'UNSAFE_HOME'
  | 'UNAUTHORIZED'
  | 'TIMEOUT'
  | 'SHUTTING_DOWN'
  | 'RELOAD_FAILED'
  | 'START_FAILED'
  | 'BUSY'
  | 'REFUSED'
  | 'INTERNAL';

export interface WireError {
  code: ErrorCode;
  message: string;
}

export class SupError extends Error {
  override readonly name = 'SupError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isSupError(err: unknown): err is SupError {
  return err instanceof SupError;
}

/** Unknown errors become INTERNAL so that a bug is reported, never swallowed or crashing the daemon. */
export function toWireError(err: unknown): WireError {
  if (isSupError(err)) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `internal error: ${message}` };
}
