// mlmon-exporter: its flags; `--help` and `--version` answer from here, anything else loads the
// running exporter (serve.ts) and everything behind it.
import { EXPORTER_HELP, parseExporterFlags, UsageError } from './flags.ts';

export async function main(argv: string[]): Promise<number> {
  let flags;
  try {
    flags = parseExporterFlags(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    console.error(`mlmon-exporter: ${err.message}\n\n${EXPORTER_HELP}`);
    return 2;
  }
  if (flags.help) {
    console.log(EXPORTER_HELP);
    return 0;
  }
  if (flags.version) {
    const { BUILD } = await import('./version.ts');
    console.log(`mlmon-exporter ${BUILD.version} (revision ${BUILD.revision}, node ${process.version})`);
    return 0;
  }
  const { serve } = await import('./serve.ts');
  return serve(flags);
}
