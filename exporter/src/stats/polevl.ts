// Polynomial helpers with cephes' exact evaluation order (scipy xsf `polevl.h`).

/** coef[0]*x^n + ... + coef[n] */
export function polevl(x: number, coef: readonly number[], n: number): number {
  let ans = coef[0];
  for (let i = 1; i <= n; i++) ans = ans * x + coef[i];
  return ans;
}

/** Like polevl with an implicit leading coefficient 1 (coef has n entries). */
export function p1evl(x: number, coef: readonly number[], n: number): number {
  let ans = x + coef[0];
  for (let i = 1; i < n; i++) ans = ans * x + coef[i];
  return ans;
}

/** Rational function num(x)/denom(x) (ascending coefficients), evaluated in 1/x when |x| > 1. */
export function ratevl(x: number, num: readonly number[], m: number, denom: readonly number[], n: number): number {
  const big = Math.abs(x) > 1;
  const y = big ? 1 / x : x;
  const horner = (c: readonly number[], len: number): number => {
    let ans = big ? c[len] : c[0];
    for (let i = 1; i <= len; i++) ans = ans * y + (big ? c[len - i] : c[i]);
    return ans;
  };
  const numAns = horner(num, m);
  const denAns = horner(denom, n);
  return big ? (Math.pow(x, m - n) * numAns) / denAns : numAns / denAns;
}
