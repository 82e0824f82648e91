import { afterAll, describe, expect, it } from 'vitest';
import { EXAMPLES } from '../src/cli/help-examples.js';
import { SupHome } from './helpers/sup.js';

describe('help', () => {
  // No daemon is needed for help; a home of its own keeps a stray daemon from starting anywhere shared.
  const sup = SupHome.create();
  afterAll(() => sup.cleanup());

  it.each(Object.keys(EXAMPLES).filter((c) => c !== 'sup'))('`sup %s --help` shows examples', async (command) => {
    const out = await sup.ok([command, '--help']);
    expect(out).toContain('Examples:');
    expect(out).toContain(EXAMPLES[command]![0]![0]);
  });

  it('`sup --help` shows examples, and `sup completion` prints a completion script', async () => {
    expect(await sup.ok(['--help'])).toMatch(/Examples:\n {2}sup start app\.js -i max/);
    const script = await sup.ok(['completion']);
    expect(script).toContain('--get-yargs-completions');
    expect((await sup.ok(['--get-yargs-completions', 'sup', ''])).split('\n')).toEqual(
      expect.arrayContaining(['start', 'resurrect', 'monit']),
    );
  });
});
