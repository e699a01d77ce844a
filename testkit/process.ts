// A child process the tests own: the tail of its output kept, stopped with SIGTERM (then SIGKILL),
// its scratch folders removed, and the port it bound read from its own start-up line, so no two
// servers can race for a port picked in advance.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { rmSync } from 'node:fs';
import { ROOT, waitFor } from './base.ts';

export interface Managed {
  child: ChildProcess;
  output(): string;
  exited(): boolean;
  /** Stops the process (the signal, then SIGKILL after 10 s) and removes its folders; its exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnManaged(
  command: string,
  args: string[],
  options: SpawnOptions & { removeOnStop?: string[] } = {},
): Managed {
  const { removeOnStop = [], ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT, ...spawnOptions });
  let output = '';
  // The tail only: generous, so start-up lines a test looks for later are still there.
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-1_000_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    output: () => output,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (!exited()) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(timer);
      }
      for (const dir of removeOnStop) rmSync(dir, { recursive: true, force: true });
      return exit;
    },
  };
}

/**
 * Waits for the line in which a server started on port 0 names the port it got; the first capture
 * group of `pattern` is the port. Stops the process and throws with its output when it exits first.
 */
export async function boundPort(managed: Managed, what: string, pattern: RegExp, timeoutMs = 60_000): Promise<number> {
  try {
    return await waitFor(
      what,
      async () => {
        const match = pattern.exec(managed.output());
        if (match) return Number(match[1]);
        if (managed.exited()) throw new Error(`exited with ${managed.child.exitCode ?? managed.child.signalCode}`);
        return undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    await managed.stop();
    throw new Error(`${(err as Error).message}\n${what} output:\n${managed.output()}`);
  }
}

/** Polls `url` until it answers 2xx; stops the process and throws with its output otherwise. */
export async function ready(managed: Managed, what: string, url: string, timeoutMs = 60_000): Promise<void> {
  try {
    await waitFor(
      what,
      async () => {
        if (managed.exited()) throw new Error(`exited with ${managed.child.exitCode ?? managed.child.signalCode}`);
        return (await fetch(url)).ok ? true : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    await managed.stop();
    throw new Error(`${(err as Error).message}\n${what} output:\n${managed.output()}`);
  }
}

/** The line the Prometheus exporter toolkit logs once its listener is bound (Prometheus, Alertmanager). */
export const TOOLKIT_LISTENING = /msg="Listening on" address=127\.0\.0\.1:(\d+)/;
