// Transitional: the test files still importing from here move to ../harness/load.js.
export { startLoad } from '../harness/load.js';
