#!/usr/bin/env node
// `node bin/sup.js`, as earlier versions were run: the CLI is bin/sup.cjs (required, not imported: an import would parse
// the bundle for its exports first).
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./sup.cjs');
