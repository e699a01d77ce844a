// Bounded class indices for the confusion matrix: the reference's classes first, then classes as
// they are first seen, up to a cap; anything else is __other__ (never an unbounded label).
import { OTHER_CATEGORY } from '../profile/types.ts';

export class ClassIndex {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(
    initial: readonly string[],
    /** Named classes kept; the last slot (index `max`) is __other__. */
    readonly max: number,
  ) {
    for (const name of initial) this.indexOf(name);
  }

  /** Total slots, __other__ included. */
  get size(): number {
    return this.max + 1;
  }

  indexOf(name: string): number {
    const known = this.index.get(name);
    if (known !== undefined) return known;
    if (this.names.length >= this.max || name === OTHER_CATEGORY) return this.max;
    this.index.set(name, this.names.length);
    this.names.push(name);
    return this.names.length - 1;
  }

  nameOf(i: number): string {
    return i < this.names.length ? this.names[i] : OTHER_CATEGORY;
  }
}
