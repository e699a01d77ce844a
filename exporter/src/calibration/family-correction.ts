// How a model's false-alarm budget is shared among its features. With `false_alarm_rate` α and
// m features, Šidák gives each feature-window 1 - (1 - α)^(1/m): a window of the model with no
// drift then raises at least one feature alarm with probability α when the features are
// independent, and less when they are positively dependent. Bonferroni (α/m) is a little
// stricter and makes no independence assumption; `none` gives every feature-window α itself.
export type FamilyCorrection = 'sidak' | 'bonferroni' | 'none';

export function perFeatureRate(rate: number, features: number, correction: FamilyCorrection): number {
  const m = Math.max(1, features);
  switch (correction) {
    case 'sidak':
      // -expm1(log1p(-α)/m) is 1 - (1 - α)^(1/m) without cancellation for small α.
      return -Math.expm1(Math.log1p(-rate) / m);
    case 'bonferroni':
      return rate / m;
    case 'none':
      return rate;
  }
}
