#!/usr/bin/env node
import { runDaemon } from '../daemon/main.js';

runDaemon().catch((err: unknown) => {
  process.stderr.write(`sup daemon failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
