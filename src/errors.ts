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

// The same in every copy of this module: the CLI's bundle carries its own, and an ecosystem file that imports sup's
// API gets tsc's; a SupError made by either is one (Symbol.for is shared by the whole process).
const SUP_ERROR = Symbol.for('sup.SupError');

export class SupError extends Error {
  override readonly name = 'SupError';
  readonly [SUP_ERROR] = true;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isSupError(err: unknown): err is SupError {
  return err instanceof Error && (err as Partial<Record<typeof SUP_ERROR, boolean>>)[SUP_ERROR] === true;
}

/** Unknown errors become INTERNAL so that a bug is reported, never swallowed or crashing the daemon. */
export function toWireError(err: unknown): WireError {
  if (isSupError(err)) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `internal error: ${message}` };
}
