import { describe, expect } from 'vitest';
import { EXAMPLES } from '../src/cli/help-examples.js';
import { it } from './helpers/sup-test.js';

// No daemon is needed for help; each test's home of its own keeps a stray daemon from starting anywhere shared.
describe('help', () => {
  it.for(Object.keys(EXAMPLES).filter((c) => c !== 'sup'))('`sup %s --help` shows examples', async (command, { sup }) => {
    const out = await sup.ok([command, '--help']);
    expect(out).toContain('Examples:');
    expect(out).toContain(EXAMPLES[command]![0]![0]);
  });

  it('`sup --help` shows examples, and `sup completion` prints a completion script', async ({ sup }) => {
    expect(await sup.ok(['--help'])).toMatch(/Examples:\n {2}sup start app\.js -i max/);
    const script = await sup.ok(['completion']);
    expect(script).toContain('--get-yargs-completions');
    expect((await sup.ok(['--get-yargs-completions', 'sup', ''])).split('\n')).toEqual(
      expect.arrayContaining(['start', 'resurrect', 'monit']),
    );
  });
});
