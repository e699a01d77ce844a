// Moves the clock for the clock-independence check of `npm test` (scripts/test.mjs): Date.now()
// and new Date() run MLMON_CLOCK_SHIFT_MS milliseconds ahead (negative: behind). Timers and
// performance.now() keep real time. Loaded with `node --require` and as a jest setup file, so it
// is plain CommonJS; it replaces the Date of whatever global it runs in (jsdom's under jest).
const shift = Number(process.env.MLMON_CLOCK_SHIFT_MS ?? 0);
if (shift) {
  const RealDate = globalThis.Date;
  const realNow = RealDate.now.bind(RealDate);
  class ShiftedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(realNow() + shift);
      else super(...args);
    }
    static now() {
      return realNow() + shift;
    }
  }
  globalThis.Date = ShiftedDate;
}
