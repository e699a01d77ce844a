#!/usr/bin/env python3
"""Row-level CBPE on bench/cbpe-replay.mjs's data, for comparison with the exporter's estimates.

The same reference implementation as exporter/test/fixtures/make_cbpe_fixture.py (scikit-learn's
IsotonicRegression(out_of_bounds='clip') on the labelled reference; NannyML's expected confusion
matrix and estimated AUROC), applied to each window of the replay's records (consecutive runs of
ROWS records). Prints a JSON list, one object of estimated metrics per window.
Usage: python3 bench/cbpe_reference.py DIR ROWS
"""
import json
import sys

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import auc


def main():
    folder, rows = sys.argv[1], int(sys.argv[2])
    reference = np.loadtxt(f"{folder}/reference.csv", delimiter=",", skiprows=1)
    calibrator = IsotonicRegression(out_of_bounds="clip").fit(reference[:, 1], reference[:, 2])
    with open(f"{folder}/records.jsonl") as f:
        scores = np.array([json.loads(line)["prediction"] for line in f])
    out = []
    for start in range(0, len(scores), rows):
        score = scores[start : start + rows]
        p = calibrator.predict(score)
        pred = score >= 0.5
        tp, fp = p[pred].sum(), (1 - p[pred]).sum()
        fn, tn = p[~pred].sum(), (1 - p[~pred]).sum()
        order = np.argsort(score, kind="stable")[::-1]
        tps = np.r_[0, np.cumsum(p[order])]
        fps = np.r_[0, np.cumsum(1 - p[order])]
        out.append(
            {
                "accuracy": (tp + tn) / len(score),
                "precision": tp / (tp + fp),
                "recall": tp / (tp + fn),
                "f1": 2 * tp / (2 * tp + fp + fn),
                "auroc": auc(fps / fps[-1], tps / tps[-1]),
            }
        )
    json.dump([{k: float(v) for k, v in w.items()} for w in out], sys.stdout)


if __name__ == "__main__":
    main()
