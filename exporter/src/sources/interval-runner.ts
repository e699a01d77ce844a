// The one scheduler of the sources: runs a read every interval, one run at a time (a slow read
// delays the next rather than overlapping it), at once again when the read says it has more to
// catch up on, and never lets a failure escape the timer: the read reports its own failures.
export class IntervalRunner {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  stopped = false;

  constructor(
    private readonly intervalMs: number,
    /** Resolves to 'more' when the read stopped at a batch limit and should run again at once. */
    private readonly read: () => Promise<void | 'more'>,
    /** The last guard, for a failure the read did not report itself. */
    private readonly onUnexpected: (err: unknown) => void = () => undefined,
  ) {}

  start(): void {
    if (this.stopped || this.running || this.timer) return;
    this.schedule(0);
  }

  /** Stops the schedule and waits for a read in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const started = Date.now();
      let more = false;
      this.running = this.read()
        .then((outcome) => void (more = outcome === 'more'))
        .catch((err) => {
          if (!this.stopped) this.onUnexpected(err);
        })
        .finally(() => {
          this.running = undefined;
          this.schedule(more ? 0 : Math.max(0, this.intervalMs - (Date.now() - started)));
        });
    }, delayMs);
    this.timer.unref?.();
  }
}
