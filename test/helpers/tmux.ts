// Transitional: the test files still importing from here move to ../harness/tmux.js.
export { frame, Pane, Tmux } from '../harness/tmux.js';
