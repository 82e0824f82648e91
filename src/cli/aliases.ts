/** Other names of commands that both the fast path (no yargs) and the full parser know. Dependency-free on purpose. */
export const LIST_ALIASES = ['ls', 'status', 'l'] as const;
