// @ts-check
/** Where the repository, the CLI and the test apps are, for the tests and the benchmarks alike. */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The real CLI, run as users run it (it loads the built code in dist/). */
export const SUP_BIN = join(REPO, 'bin/sup.cjs');
export const FIXTURES = join(REPO, 'test/fixtures/apps');
export const CONFIGS = join(REPO, 'test/fixtures/configs');

/** @param {string} name an app under test/fixtures/apps */
export const fixture = (name) => join(FIXTURES, name);
