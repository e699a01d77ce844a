// A small seeded generator (mulberry32) so that the demo and the benchmarks are reproducible.
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  normal(mean = 0, std = 1): number {
    // Box-Muller; 1 - u keeps the logarithm finite.
    const u = 1 - this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  pick<T>(choices: readonly (readonly [T, number])[]): T {
    let u = this.next();
    for (const [value, weight] of choices) {
      if ((u -= weight) < 0) return value;
    }
    return choices[choices.length - 1][0];
  }
}
