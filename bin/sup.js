#!/usr/bin/env node
// Node 22.1+ caches compiled code between runs, which makes every CLI call faster; older Node skips it.
import module from 'node:module';

module.enableCompileCache?.();
await import('../dist/bin/sup.js');
