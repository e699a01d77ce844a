// Graceful shutdown on SIGTERM, bounded in time: stop taking requests (those in flight finish),
// stop the sources, write a final snapshot. Half the budget goes to draining, the rest to the
// snapshot; past the whole budget the process exits anyway (the default 25 s fits Kubernetes'
// 30 s terminationGracePeriodSeconds).
export interface ShutdownSteps {
  /** Stops the periodic snapshots. */
  stopTimer(): void;
  /** Stops accepting connections and waits for the requests in flight. */
  closeServer(): Promise<void>;
  /** Drops the connections still open (called when draining took too long). */
  forceClose(): void;
  stopSources(): Promise<void>;
  /** The final snapshot: true when written. */
  snapshot(): Promise<boolean>;
  timeoutMs: number;
  log?: (line: string) => void;
  /** How a process that is still busy past the budget ends (tests replace it). */
  exit?: (code: number) => void;
}

export async function shutDown(steps: ShutdownSteps): Promise<number> {
  const log = steps.log ?? ((line) => console.error(line));
  const exit = steps.exit ?? ((code) => process.exit(code));
  const started = Date.now();
  const hardStop = setTimeout(() => {
    log(`mlmon-exporter: shutdown took longer than ${steps.timeoutMs} ms, exiting`);
    exit(1);
  }, steps.timeoutMs);
  hardStop.unref();
  steps.stopTimer();
  const drained = await within(
    (async () => {
      await steps.closeServer().catch((err: Error) => log(`mlmon-exporter: closing the server: ${err.message}`));
      await steps.stopSources().catch((err: Error) => log(`mlmon-exporter: stopping the sources: ${err.message}`));
    })(),
    steps.timeoutMs / 2,
  );
  if (!drained) {
    log(`mlmon-exporter: requests or sources still busy after ${steps.timeoutMs / 2} ms; closing connections`);
    steps.forceClose();
  }
  const written = await within(steps.snapshot(), steps.timeoutMs - (Date.now() - started));
  clearTimeout(hardStop);
  if (written === true) return 0;
  log('mlmon-exporter: the final snapshot was not written; the windows restart from the previous one');
  return 1;
}

/** The promise's value, or undefined when `ms` passed first (it keeps running, unawaited). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | true | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise.then((value) => (value === undefined ? true : value)), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
