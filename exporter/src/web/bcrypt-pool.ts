// bcrypt comparisons off the event loop. bcryptjs is pure JavaScript: on the main thread its rounds
// share the event loop with every request, so under a flood of connections one comparison of a
// valid user took seconds. Here each comparison runs whole (compareSync) in a worker thread: the
// event loop stays free for requests and the comparison gets a thread of its own from the OS.
// The workers are few (the callers bound how many comparisons run at once, auth-guard.ts), started
// in the background when the pool is made, unref'd while idle (they never keep the process alive), and
// replaced when one dies (one that cannot even start turns the pool to comparing on the event loop,
// slower under load but still correct). The code run in the worker is a few lines of CommonJS given as text, so
// it runs the same from the TypeScript sources and from the built package.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcryptjs);
parentPort.postMessage({ ready: true });
parentPort.on('message', ({ id, password, hash }) => {
  let matches = false;
  try { matches = bcrypt.compareSync(password, hash); } catch {}
  parentPort.postMessage({ id, matches });
});
`;

/** bcryptjs' CommonJS entry, resolved from here: node_modules beside the sources or the built package. */
const BCRYPTJS = createRequire(import.meta.url).resolve('bcryptjs');

interface Job {
  id: number;
  password: string;
  hash: string;
  resolve: (matches: boolean) => void;
}

interface PoolWorker {
  worker: Worker;
  /** Set once the worker has loaded bcryptjs. */
  ready: boolean;
  job?: Job;
}

export class BcryptPool {
  private readonly workers = new Set<PoolWorker>();
  private readonly waiting: Job[] = [];
  private nextId = 0;
  /** Set when a worker cannot start here: comparisons then run on the event loop (bcryptjs' async API). */
  private inline = false;

  constructor(private size: number) {
    this.grow(size);
  }

  /** At least `size` workers from now on, started now. */
  grow(size: number): void {
    this.size = Math.max(this.size, size);
    while (this.workers.size < this.size && !this.inline) this.spawn();
  }

  /** Whether `password` matches `hash`; false for a malformed hash or a worker that died meanwhile. */
  compare(password: string, hash: string): Promise<boolean> {
    if (this.inline) return bcrypt.compare(password, hash).catch(() => false);
    return new Promise((resolve) => {
      this.waiting.push({ id: this.nextId++, password, hash, resolve });
      this.dispatch();
    });
  }

  /** Stops the workers: comparisons waiting or running answer false, later ones run on the event loop. */
  async close(): Promise<void> {
    this.inline = true;
    const workers = [...this.workers];
    this.workers.clear();
    for (const job of [...this.waiting.splice(0), ...workers.map((entry) => entry.job)]) job?.resolve(false);
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  private dispatch(): void {
    this.grow(this.size);
    for (const entry of this.workers) {
      if (this.waiting.length === 0) return;
      if (entry.job) continue;
      const job = this.waiting.shift()!;
      entry.job = job;
      entry.worker.ref(); // a comparison under way keeps the process alive until it answers
      entry.worker.postMessage({ id: job.id, password: job.password, hash: job.hash });
    }
    if (this.inline)
      for (const job of this.waiting.splice(0)) void this.compare(job.password, job.hash).then(job.resolve);
  }

  private spawn(): void {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptjs: BCRYPTJS } });
    } catch {
      this.inline = true;
      return;
    }
    worker.unref();
    const entry: PoolWorker = { worker, ready: false };
    this.workers.add(entry);
    worker.on('message', ({ id, matches, ready }: { id?: number; matches?: boolean; ready?: true }) => {
      if (ready) return void (entry.ready = true);
      const job = entry.job;
      if (!job || job.id !== id) return;
      entry.job = undefined;
      worker.unref();
      job.resolve(matches === true);
      this.dispatch();
    });
    // A worker that fails or exits is forgotten (its comparison answers false) and replaced; one
    // that failed before it could load bcryptjs would fail again: compare inline from then on.
    const lost = () => {
      if (!this.workers.delete(entry)) return;
      entry.job?.resolve(false);
      entry.job = undefined;
      if (!entry.ready) this.inline = true;
      this.dispatch();
    };
    worker.once('error', lost);
    worker.once('exit', lost);
  }
}

let shared: BcryptPool | undefined;

/** The process's pool, of at least `size` workers (one pool for every BasicAuth of the process). */
export function bcryptPool(size: number): BcryptPool {
  if (shared) shared.grow(size);
  else shared = new BcryptPool(size);
  return shared;
}
