// Runs step-wise jobs (generators) off the scrape path: a few milliseconds of one job per turn of
// the event loop, so that requests and scrapes keep being served while simulations run. One
// runner per process: jobs queue in order of arrival.
const SLICE_MS = 10;

type Job = { steps: Generator<void, number>; done: (value: number) => void };

export class BackgroundRunner {
  private readonly queue: Job[] = [];
  private scheduled = false;
  private immediate?: NodeJS.Immediate;
  private readonly idleWaiters: (() => void)[] = [];

  get pending(): number {
    return this.queue.length;
  }

  add(steps: Generator<void, number>, done: (value: number) => void): void {
    this.queue.push({ steps, done });
    this.schedule();
  }

  /** Resolves once every queued job (and any queued meanwhile) has finished. */
  idle(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.immediate?.ref(); // the scheduled turn may be unref'd
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate lets pending I/O (a scrape, an ingest request) run between slices. Unref'd
    // unless someone waits for idle(): a queue of simulations never keeps a finishing process alive.
    this.immediate = setImmediate(() => this.turn());
    if (this.idleWaiters.length === 0) this.immediate.unref();
  }

  private turn(): void {
    this.scheduled = false;
    this.immediate = undefined;
    const until = performance.now() + SLICE_MS;
    while (this.queue.length > 0 && performance.now() < until) {
      const job = this.queue[0];
      const next = job.steps.next();
      if (next.done) {
        this.queue.shift();
        job.done(next.value);
      }
    }
    if (this.queue.length > 0) this.schedule();
    else for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

/** The exporter's runner (a backfill computes in line instead). */
export const backgroundRunner = new BackgroundRunner();
