import { isSupError } from '../errors.js';

/** Turns any failure into one line on stderr and an exit code; used by the CLI's entry points only. */
export function reportError(err: unknown): void {
  if (isSupError(err)) {
    process.stderr.write(`sup: ${err.message}\n`);
    process.exitCode = err.code === 'USAGE' ? 2 : 1;
  } else if (err instanceof Error && (err as { usage?: boolean }).usage) {
    process.stderr.write(`sup: ${err.message}\nRun \`sup --help\` for usage.\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`sup: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}
