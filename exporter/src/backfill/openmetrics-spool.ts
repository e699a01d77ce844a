// Writes exposition snapshots taken at successive instants as one OpenMetrics file with
// timestamps, the input of `promtool tsdb create-blocks-from openmetrics`. OpenMetrics wants each
// family's samples together under one header, so the samples are spooled per family to files in
// a scratch folder (memory stays bounded by the buffer size whatever the history's length) and
// concatenated at the end.
import { appendFileSync, createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

/** Buffered text per family before it goes to the family's spool file. */
const FLUSH_BYTES = 1 << 20;

interface Spooled {
  help: string;
  type: string;
  file: string;
  buffer: string[];
  bytes: number;
}

export class OpenMetricsSpool {
  private readonly dir: string;
  private readonly families = new Map<string, Spooled>();
  samples = 0;

  /** The scratch folder sits beside `output`, where there is room for a copy of it. */
  constructor(private readonly output: string) {
    this.dir = mkdtempSync(join(dirname(output), '.mlmon-backfill-'));
  }

  /** Adds the samples of an exposition in the Prometheus text format, stamped `atMs`. */
  add(text: string, atMs: number): void {
    const stamp = ` ${formatSeconds(atMs)}\n`;
    let current: Spooled | undefined;
    for (const line of text.split('\n')) {
      if (line === '') continue;
      if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) {
        const [, kind, name, ...rest] = line.split(' ');
        current = this.family(name);
        if (kind === 'HELP') current.help = rest.join(' ');
        else current.type = rest[0];
        continue;
      }
      if (line.startsWith('#')) continue;
      if (!current) throw new Error(`sample before any family header: ${line}`);
      current.buffer.push(line, stamp);
      current.bytes += line.length + stamp.length;
      this.samples++;
      if (current.bytes >= FLUSH_BYTES) flush(current);
    }
  }

  /** Writes the output file (headers, samples, `# EOF`) and removes the scratch folder. */
  async finish(): Promise<void> {
    try {
      const out = createWriteStream(this.output);
      for (const [name, family] of this.families) {
        flush(family);
        // A counter's OpenMetrics family name is its samples' name without `_total`.
        const familyName = family.type === 'counter' ? name.replace(/_total$/, '') : name;
        const help = `# HELP ${familyName} ${family.help}\n`;
        out.write(`${help}# TYPE ${familyName} ${family.type}\n`);
        for await (const chunk of createReadStream(family.file)) {
          if (!out.write(chunk)) await once(out, 'drain');
        }
      }
      out.end('# EOF\n');
      await finished(out);
    } finally {
      this.discard();
    }
  }

  discard(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private family(name: string): Spooled {
    let family = this.families.get(name);
    if (!family) {
      family = { help: '', type: 'unknown', file: join(this.dir, `${this.families.size}.txt`), buffer: [], bytes: 0 };
      appendFileSync(family.file, '');
      this.families.set(name, family);
    }
    return family;
  }
}

function flush(family: Spooled): void {
  if (family.buffer.length === 0) return;
  appendFileSync(family.file, family.buffer.join(''));
  family.buffer = [];
  family.bytes = 0;
}

/** OpenMetrics timestamps are seconds. */
function formatSeconds(ms: number): string {
  return String(ms / 1000);
}
