// Transitional: the test files still importing from here move to ../harness/proc.js.
export { isAlive, killQuietly, pidsWithSupHome } from '../harness/proc.js';
