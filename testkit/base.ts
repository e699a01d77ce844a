// The repository's folders, polling, scratch folders and one-shot commands for the tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const RULES_DIR = join(ROOT, 'rules');
export const PROVISIONING_DIR = join(ROOT, 'provisioning');

/** Polls `probe` every 100 ms until it returns something other than undefined. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `mlmon-${prefix}-`));
}

/** Runs a command to completion; returns its exit status and output. */
export function run(command: string, args: string[], cwd = ROOT): { status: number | null; output: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/**
 * Waits until `read()` has returned a new value `times` times (e.g. a source's last-success time
 * after two more reads): an event to wait on, where a fixed sleep proves nothing on a slow machine.
 */
export async function waitForChanges<T>(what: string, read: () => T | Promise<T>, times = 2, timeoutMs = 30_000) {
  let last = await read();
  let changes = 0;
  await waitFor(
    what,
    async () => {
      const now = await read();
      if (now !== last) {
        changes++;
        last = now;
      }
      return changes >= times ? true : undefined;
    },
    timeoutMs,
  );
}
