#!/usr/bin/env python3
"""The baseline of bench/flights.mjs: what a data scientist writes with pandas (pyarrow CSV reader)
and numpy/scipy to get the statistics `mlmon drift --json` prints on the same two files, with the
same definitions (quantile edges + numpy.digitize, PSI with the 1e-4 floor, ks_2samp,
wasserstein_distance, Jensen-Shannon, chi2_contingency, missing / new-category ratios).
usage: python3 bench/flights_pandas.py REF CUR [--categorical a,b]   (prints JSON like mlmon's)"""
import json
import sys

import numpy as np
import pandas as pd
from scipy import stats
from scipy.spatial.distance import jensenshannon

K, MAX_CATEGORIES = 10, 50
ref_path, cur_path = sys.argv[1], sys.argv[2]
categorical = set(sys.argv[4].split(",")) if len(sys.argv) > 4 and sys.argv[3] == "--categorical" else set()


def read(path):
    if path.endswith(".parquet"):
        return pd.read_parquet(path)
    return pd.read_csv(path, engine="pyarrow", dtype={name: str for name in categorical})


def psi(r, c):
    rs, cs = r / r.sum(), c / c.sum()
    rs = np.where(r == 0, 1e-4, rs)
    cs = np.where(c == 0, 1e-4, cs)
    return float(np.sum((cs - rs) * np.log(cs / rs)))


ref, cur = read(ref_path), read(cur_path)
features = {}
for name in ref.columns:
    rcol, ccol = ref[name], cur[name]
    r, c = rcol.dropna(), ccol.dropna()
    out = {"n_reference": len(r), "n_current": len(c), "missing_ratio": float(ccol.isna().mean())}
    if name not in categorical and pd.api.types.is_numeric_dtype(rcol):
        r, c = r.to_numpy(dtype=float), c.to_numpy(dtype=float)
        edges = np.unique(np.quantile(r, np.arange(1, K) / K))
        rc = np.bincount(np.digitize(r, edges), minlength=len(edges) + 1)
        cc = np.bincount(np.digitize(c, edges), minlength=len(edges) + 1)
        ks = stats.ks_2samp(r, c)
        w = stats.wasserstein_distance(r, c)
        std = r.std()
        out.update(
            type="numeric",
            ks_statistic=float(ks.statistic),
            ks_pvalue=float(ks.pvalue),
            wasserstein=float(w),
            wasserstein_normalized=float(w / max(std, 1e-3)),
            out_of_range_ratio=float(((c < r.min()) | (c > r.max())).mean()),
            mean_shift=float((c.mean() - r.mean()) / std),
            std_ratio=float(c.std() / std),
        )
    else:
        r, c = r.astype(str), c.astype(str)
        counts = r.value_counts()
        ranked = sorted(counts.items(), key=lambda vc: (-vc[1], vc[0]))
        top = [v for v, _ in ranked[:MAX_CATEGORIES]]
        index = {v: i for i, v in enumerate(top)}
        rc = np.bincount(r.map(index).fillna(len(top)).astype(int), minlength=len(top) + 1)
        cc = np.bincount(c.map(index).fillna(len(top)).astype(int), minlength=len(top) + 1)
        keep = (rc + cc) > 0
        chi = stats.chi2_contingency(np.array([rc[keep], cc[keep]]))
        out.update(
            type="categorical",
            chi2_statistic=float(chi.statistic),
            chi2_pvalue=float(chi.pvalue),
            new_category_ratio=float((~c.isin(set(counts.index))).mean()),
        )
    out.update(psi=psi(rc, cc), jensen_shannon=float(jensenshannon(rc, cc, base=2)))
    features[name] = out
print(json.dumps({"features": features}, indent=1))
