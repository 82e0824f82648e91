import { fastCommand } from '../cli/fast-path.js';
import { reportError } from '../cli/report-error.js';

const argv = process.argv.slice(2);
const fast = fastCommand(argv);
if (fast) fast().catch(reportError);
else void import('../cli/main.js').then(({ main }) => main(argv));
