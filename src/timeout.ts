/** Waits for a promise at most `ms`: 'done' if it settled in time, 'timed-out' otherwise. The timer never holds the process. */
export async function withTimeout(promise: Promise<unknown>, ms: number): Promise<'done' | 'timed-out'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(() => resolve('timed-out'), ms);
    timer.unref();
  });
  try {
    return await Promise.race([
      promise.then(
        () => 'done' as const,
        () => 'done' as const,
      ),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
