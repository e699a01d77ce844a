// Older snapshot formats, made from a current snapshot for the compatibility tests.
import { createHash } from 'node:crypto';
import type { Exporter } from '../../src/exporter.ts';
import { legacyDefinitionHash } from '../../src/snapshot/capture.ts';
import { decodeSnapshot, encodePreamble, headerBytes } from '../../src/snapshot/format.ts';

/**
 * `file` as format `version` (< 3) wrote it: the models' definition hashes over the whole definition
 * (segment settings included), no estimation sums nor segments, the checksum recomputed.
 */
export function asOlderFormat(file: Buffer, version: number, state: Exporter): Buffer {
  const { header, payload } = decodeSnapshot(file);
  for (const model of header.models) {
    model.definitionHash = legacyDefinitionHash(state.models.get(model.name)!);
    delete model.estimation;
    delete model.segments;
  }
  const head = headerBytes(header);
  const digest = createHash('sha256').update(head).update(payload).digest();
  const preamble = encodePreamble(head, payload.byteLength, digest);
  preamble.writeUInt32LE(version, 8);
  return Buffer.concat([preamble, head, payload]);
}
