import { basename, extname, resolve } from 'node:path';
import { splitCommandLine } from './pm2-compat.js';

/** What resolving an app needs to know from the disk and the Node that will run it. */
export interface FileProbe {
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
  /** The interpreter a file without a known extension asks for in its #! line. */
  shebang(path: string): string | undefined;
  /** Whether `name` resolves as a package from `dir` (tsx in the app's project). */
  hasPackage(name: string, dir: string): boolean;
}

/**
 * How this Node runs TypeScript: by itself ('native': 22.18+ and 23.6+ strip types by default), with a flag
 * ('flag': 22.6 to 22.17), or not at all ('none': Node 20).
 */
export type TypeScriptSupport = 'native' | 'flag' | 'none';

export function typeScriptSupport(version = process.versions.node): TypeScriptSupport {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18)) return 'native';
  if (major === 23 || (major === 22 && minor >= 6)) return 'flag';
  return 'none';
}

// PM2 picks the interpreter from the script's extension.
const INTERPRETERS: Record<string, string> = {
  '.js': 'node',
  '.cjs': 'node',
  '.mjs': 'node',
  '.py': 'python3',
  '.sh': 'bash',
  '.rb': 'ruby',
  '.php': 'php',
  '.pl': 'perl',
};
const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

export interface RunnerInput {
  script: string;
  args: string[] | undefined;
  cwd: string | undefined;
  interpreter: string | undefined;
  interpreter_args: string[] | undefined;
}

export interface Runner {
  script: string;
  args: string[];
  cwd: string;
  interpreter: string;
  interpreter_args: string[];
  /** The script was a command line that runs under a shell ("a; b"): the app is named after the line, as in PM2. */
  shellLine: boolean;
}

export interface RunnerContext {
  /** The ecosystem file's folder (or the caller's folder for the command line). */
  baseDir: string;
  /** The folder of the `sup` command: PM2 resolves paths in files against it; sup tries the file's folder first. */
  callerDir: string;
  files?: FileProbe | undefined;
  typescript: TypeScriptSupport;
}

/**
 * Where the app runs and with what: its cwd and script (against the file's folder, or the caller's folder where PM2
 * would look: a file written for PM2 works from either), its interpreter (by extension or `#!`, TypeScript by Node's
 * own type stripping or the project's tsx), and the interpreter's arguments.
 */
export function resolveRunner(input: RunnerInput, ctx: RunnerContext): Runner | { error: string } {
  const probe = ctx.files;
  let cwd = firstExisting(input.cwd ?? '.', [ctx.baseDir, ctx.callerDir], (p) => probe?.isDirectory(p) ?? true);
  // Without a cwd, a script found only from the caller's folder (as PM2 finds it) runs there, as under PM2.
  if (input.cwd === undefined && probe && !probe.isFile(resolve(cwd, input.script)) && probe.isFile(resolve(ctx.callerDir, input.script))) {
    cwd = ctx.callerDir;
  }
  const inCwd = (file: string) => resolve(cwd, file);
  const command = splitCommandLine(input.script, input.args, (s) => probe?.isFile(inCwd(s)) ?? true);
  let interpreter = input.interpreter ?? INTERPRETERS[extname(command.script)];
  // A relative interpreter (`--interpreter ./node_modules/.bin/tsx`) is the caller's file, not the daemon's.
  if (interpreter?.startsWith('.')) interpreter = firstExisting(interpreter, [ctx.callerDir, cwd], (p) => probe?.isFile(p) ?? true);
  // A bare command name with interpreter "none" is looked up on PATH later; anything else is a path.
  const bare = !command.script.includes('/') && !command.script.includes('\\');
  const scriptPath =
    (interpreter ?? 'none') === 'none' && bare && !probe?.isFile(inCwd(command.script)) ? command.script : inCwd(command.script);
  let interpreterArgs = input.interpreter_args ?? [];
  if (interpreter === undefined && TYPESCRIPT.has(extname(command.script))) {
    const ts = typeScriptRunner(ctx, cwd, extname(command.script) === '.tsx');
    if ('error' in ts) return ts;
    [interpreter, interpreterArgs] = ['node', [...ts.args, ...interpreterArgs]];
  }
  interpreter ??= probe?.shebang(scriptPath) ?? 'none';
  // Deno needs its subcommand (and, like every other runtime here, full access) unless told otherwise.
  if (basename(interpreter) === 'deno' && interpreterArgs.length === 0) interpreterArgs = ['run', '--allow-all'];
  return {
    script: scriptPath,
    args: command.args ?? [],
    cwd,
    interpreter,
    interpreter_args: interpreterArgs,
    shellLine: command.shell === true,
  };
}

/** Node's own type stripping where this Node has it, else tsx from the app's project, else a message naming both. */
function typeScriptRunner(ctx: RunnerContext, cwd: string, jsx: boolean): { args: string[] } | { error: string } {
  // Node strips types but does not compile JSX: a .tsx file needs tsx whatever the version.
  if (ctx.typescript === 'native' && !jsx) return { args: [] };
  if (ctx.typescript === 'flag' && !jsx) return { args: ['--experimental-strip-types'] };
  if (ctx.files?.hasPackage('tsx', cwd)) return { args: ['--import', 'tsx'] };
  if (jsx)
    return {
      error: "a .tsx script needs tsx in the app's project (`npm install --save-dev tsx`): Node strips types but does not compile JSX",
    };
  return {
    error: `a TypeScript script needs Node 22.18 or newer (it strips types itself; this is Node ${process.versions.node}) or tsx in the app's project (\`npm install --save-dev tsx\`)`,
  };
}

/** The path resolved against the first folder where it exists, else against the first folder. */
function firstExisting(path: string, dirs: readonly string[], exists: (p: string) => boolean): string {
  const candidates = dirs.map((dir) => resolve(dir, path));
  return candidates.find(exists) ?? candidates[0]!;
}
