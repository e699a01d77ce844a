#!/usr/bin/env python3
"""The baseline for bench/oneshot.mjs: the same work as `mlmon drift` on raw files, vectorised
with numpy/scipy: per numeric column quantile edges, numpy.digitize, PSI, ks_2samp and
wasserstein_distance; per categorical column the category bins, PSI and chi2_contingency.
usage: python3 bench/oneshot_numpy.py REF.csv CUR.csv"""
import sys

import numpy as np
from scipy import stats

K = 10


def read(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    numeric = [i for i, name in enumerate(header) if name.startswith("n")]
    categorical = [i for i, name in enumerate(header) if name.startswith("c")]
    num = np.loadtxt(path, delimiter=",", skiprows=1, usecols=numeric)
    cat = np.loadtxt(path, delimiter=",", skiprows=1, usecols=categorical, dtype=str)
    return header, numeric, categorical, num, cat


def psi(r, c):
    rs, cs = r / r.sum(), c / c.sum()
    rs = np.where(r == 0, 1e-4, rs)
    cs = np.where(c == 0, 1e-4, cs)
    return float(np.sum((cs - rs) * np.log(cs / rs)))


header, numeric, categorical, ref_num, ref_cat = read(sys.argv[1])
_, _, _, cur_num, cur_cat = read(sys.argv[2])
drifted = 0
for j, i in enumerate(numeric):
    r, c = ref_num[:, j], cur_num[:, j]
    edges = np.unique(np.quantile(r, [q / K for q in range(1, K)]))
    rc = np.bincount(np.digitize(r, edges), minlength=len(edges) + 1)
    cc = np.bincount(np.digitize(c, edges), minlength=len(edges) + 1)
    p = psi(rc, cc)
    ks = stats.ks_2samp(r, c)
    w = stats.wasserstein_distance(r, c)
    drifted += p > 0.2
    print(f"{header[i]} psi={p:.6f} ks={ks.statistic:.6f} p={ks.pvalue:.3g} w={w:.6f}")
for j, i in enumerate(categorical):
    r, c = ref_cat[:, j], cur_cat[:, j]
    values, counts = np.unique(r, return_counts=True)
    order = np.lexsort((values, -counts))[:50]
    top = values[order]
    rc = np.array([np.sum(r == v) for v in top] + [np.sum(~np.isin(r, top))])
    cc = np.array([np.sum(c == v) for v in top] + [np.sum(~np.isin(c, top))])
    p = psi(rc, cc)
    keep = (rc + cc) > 0
    chi = stats.chi2_contingency(np.array([rc[keep], cc[keep]]))
    drifted += p > 0.2
    print(f"{header[i]} psi={p:.6f} chi2_p={chi.pvalue:.3g}")
sys.exit(1 if drifted / (len(numeric) + len(categorical)) >= 0.3 else 0)
