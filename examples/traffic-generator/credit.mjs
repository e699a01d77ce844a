// Synthetic credit-scoring applicants and their true outcome, with selectable drift scenarios.
// Shared by the traffic generator and make-reference.mjs (the reference is the no-drift case).
//   data-drift     credit_score shifts up by 0.8 reference std (covariate shift)
//   prior-drift    more risky applicants: the share of defaults (the label prior) doubles
//   concept-drift  inputs unchanged, but utilization now predicts default twice as strongly
//   many-models    no drift; traffic spread over several models (see MODELS)
export const SCENARIOS = ['none', 'data-drift', 'prior-drift', 'concept-drift', 'many-models'];
export const MODELS = ['credit-risk', 'credit-risk-eu', 'credit-risk-us'];

const COUNTRIES = [
  ['US', 0.4],
  ['DE', 0.2],
  ['FR', 0.15],
  ['GB', 0.15],
  ['JP', 0.1],
];
const CHANNELS = [
  ['web', 0.5],
  ['mobile', 0.35],
  ['branch', 0.15],
];

/** Mulberry32: small, seedable, good enough for demo traffic. */
export function random(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (mean, std) => {
    const u = Math.max(next(), 1e-12);
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  const pick = (weighted) => {
    let u = next();
    for (const [value, p] of weighted) if ((u -= p) < 0) return value;
    return weighted.at(-1)[0];
  };
  return { next, normal, pick };
}

/** The score the demo model computes (it was "trained" on the no-drift world). */
export function modelScore(f) {
  const logit = (f.credit_score - 650) / 40 - 2 * (f.utilization - 0.5) + (f.age - 41) / 30;
  return Math.round(1000 / (1 + Math.exp(-logit))) / 1000;
}

/** One applicant: features and the true label (1 = repays) under the scenario. */
export function applicant(rng, scenario = 'none', drifted = false) {
  const risky = drifted && scenario === 'prior-drift' && rng.next() < 0.3;
  const features = {
    age: Math.round(rng.normal(risky ? 33 : 41, 11) * 10) / 10,
    income: Math.round(Math.exp(rng.normal(risky ? 10.4 : 10.8, 0.5))),
    credit_score: Math.round(rng.normal(drifted && scenario === 'data-drift' ? 690 : risky ? 590 : 650, 50)),
    utilization: Math.round((risky ? 0.4 + 0.6 * rng.next() : rng.next()) * 1000) / 1000,
    country: rng.pick(COUNTRIES),
    channel: rng.pick(CHANNELS),
  };
  const strength = drifted && scenario === 'concept-drift' ? 4 : 2;
  const trueLogit =
    (features.credit_score - 650) / 40 - strength * (features.utilization - 0.5) + (features.age - 41) / 30;
  const label = rng.next() < 1 / (1 + Math.exp(-trueLogit)) ? 1 : 0;
  return { features, label };
}
