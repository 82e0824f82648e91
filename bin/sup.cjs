#!/usr/bin/env node
'use strict';
// The CLI (package.json "bin"). CommonJS, like the bundle it loads (dist/sup-cli.cjs, see scripts/bundle.js): Node's
// ES module loader costs a fast command about a tenth of its time. Node 22.1+ also caches compiled code between runs.
require('node:module').enableCompileCache?.();
require('../dist/sup-cli.cjs');
