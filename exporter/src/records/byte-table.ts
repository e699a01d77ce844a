// A fixed set of strings looked up by the bytes of a JSON string, without making a string: a hash
// of the bytes (FNV-1a, computed by the caller while it scans them) picks a slot, the bytes are then
// compared with the candidate. Only strings of ASCII characters are kept: the bytes looked up are
// those of a JSON string without escapes or non-ASCII bytes, which can equal no other string.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export const HASH_START = FNV_OFFSET | 0;

/** The hash after one more byte (or UTF-16 code unit below 128). */
export function hashStep(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, FNV_PRIME);
}

export class ByteTable {
  /** Slot → index + 1 of the string there (0: empty); open addressing, linear probing. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly texts: string[] = [];

  /** `strings[i]` is found as i; strings holding a character past ASCII are left out. */
  constructor(strings: readonly string[]) {
    let size = 8;
    while (size < strings.length * 4) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    strings.forEach((text, index) => {
      this.texts[index] = text;
      if (!/^[\0-\x7f]*$/.test(text)) return;
      let slot = hashOf(text) & this.mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = index + 1;
    });
  }

  /** The index of the string whose characters are `bytes[start, end)`, hashed to `hash`; -1 if none. */
  find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const entry = this.slots[slot];
      if (entry === 0) return -1;
      const text = this.texts[entry - 1];
      if (sameAscii(bytes, start, end, text)) return entry - 1;
    }
  }
}

function hashOf(text: string): number {
  let hash = HASH_START;
  for (let i = 0; i < text.length; i++) hash = hashStep(hash, text.charCodeAt(i));
  return hash;
}

/** Whether `bytes[start, end)` are the characters of `text` (ASCII). */
export function sameAscii(bytes: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The text of ASCII bytes `bytes[start, end)` (checked ASCII by the caller), without a copy of the bytes. */
export function asciiText(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}
