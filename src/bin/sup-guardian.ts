#!/usr/bin/env node
// Kept small: the guardian lives as long as its daemon and holds no state.
const { runGuardian } = await import('../daemon/recovery/guardian.js');
runGuardian();
