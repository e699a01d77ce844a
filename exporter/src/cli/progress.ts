// What `mlmon drift` is doing, on a terminal: the phase and the seconds spent, rewritten in place
// on stderr once a second, erased at the end. Never on a pipe or file, so --json, --format
// markdown and CI logs stay clean.

export interface Progress {
  phase(text: string): void;
  done(): void;
}

const SILENT: Progress = { phase() {}, done() {} };

export function progress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return SILENT;
  const started = Date.now();
  let text = '';
  const draw = () => stream.write(`\r\x1b[2K${text} (${Math.round((Date.now() - started) / 1000)} s)`);
  const timer = setInterval(draw, 1000).unref();
  return {
    phase(next) {
      text = next;
      draw();
    },
    done() {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}
