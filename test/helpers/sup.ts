// Transitional: the test files still importing from here move to ../harness/ and ./sup-test.js.
import { SupHome as HarnessSupHome } from '../harness/sup-home.js';
import { TEST_ROOT } from './sup-test.js';

export { CONFIGS, FIXTURES, fixture, SUP_BIN } from '../harness/paths.js';
export type { RunResult } from '../harness/run.js';
export { waitFor } from '../harness/wait.js';
export { TEST_ROOT };

export class SupHome extends HarnessSupHome {
  static override create(root: string = TEST_ROOT): SupHome {
    return super.create(root);
  }
}
