import { fastCommand } from '../cli/fast-path.js';
import { reportError } from '../cli/report-error.js';

// `sup list | head -1` closes our stdout early; that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const argv = process.argv.slice(2);
const fast = fastCommand(argv);
if (fast) fast().catch(reportError);
else void import('../cli/main.js').then(({ main }) => main(argv));
