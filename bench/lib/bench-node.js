import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { delimiter, dirname } from 'node:path';

/**
 * SUP_BENCH_NODE=<path>: runs this bench script again under that node binary, with its directory first on PATH so
 * that every node the run starts (sup's CLI and daemon, its apps, PM2, `node -e 0`) is that version. Returns true
 * when it did (the caller then only exits with the child's status).
 */
export function reexecUnderBenchNode() {
  const wanted = process.env.SUP_BENCH_NODE;
  if (!wanted) return false;
  const node = realpathSync(wanted);
  if (node === realpathSync(process.execPath)) return false;
  const env = { ...process.env, SUP_BENCH_NODE: node, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
  const child = spawnSync(node, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  if (child.error) throw new Error(`SUP_BENCH_NODE=${wanted}: ${child.error.message}`);
  process.exitCode = child.status ?? 1;
  return true;
}
