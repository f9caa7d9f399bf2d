"""Fits README "Scale"'s cost model to the runs of bench/scale/run.sh and extrapolates it.

    python3 bench/scale/fit.py OUT_DIR [CORES]

Reads OUT_DIR/run-<n>-<m>/{features,kernel,scores}/_ascribe.json (the stage seconds) and fits,
by least squares, one model per stage with the work in core-seconds (CORES = cores of the runs,
default 2):
    featurize  t = a_f + b_f (n + m) models / cores           (a query costs what a row costs)
    kernel     t = a_k + b_k n models k^2 / cores          (k^2 taken at the runs' k = 512)
    score      t = a_s + b_s n m models k / cores          (k taken at the runs' k = 512)
The a terms (start-up, driver work, the last wave) do not shrink with cores.
A bench helper only: nothing in Ascribe runs Python.
"""
import glob
import json
import os
import sys


def seconds(path, stage):
    r = json.load(open(path))["results"]["seconds"]
    return r if isinstance(r, (int, float)) else r[stage]


def lstsq(rows, ys):
    """Least squares for a few columns by the normal equations (no numpy needed)."""
    p = len(rows[0])
    a = [[sum(r[i] * r[j] for r in rows) for j in range(p)] for i in range(p)]
    b = [sum(r[i] * y for r, y in zip(rows, ys)) for i in range(p)]
    for i in range(p):  # Gauss-Jordan
        piv = max(range(i, p), key=lambda k: abs(a[k][i]))
        a[i], a[piv], b[i], b[piv] = a[piv], a[i], b[piv], b[i]
        for k in range(p):
            if k != i:
                f = a[k][i] / a[i][i]
                a[k] = [x - f * y for x, y in zip(a[k], a[i])]
                b[k] -= f * b[i]
    return [b[i] / a[i][i] for i in range(p)]


def main():
    out = sys.argv[1]
    cores = float(sys.argv[2]) if len(sys.argv) > 2 else 2.0
    runs = []
    for d in sorted(glob.glob(os.path.join(out, "run-*-*"))):
        if not os.path.isfile(os.path.join(d, "scores", "_ascribe.json")):
            continue
        n, m = (int(x) for x in os.path.basename(d).split("-")[1:3])
        runs.append((n, m, seconds(os.path.join(d, "features", "_ascribe.json"), "featurize"),
                     seconds(os.path.join(d, "kernel", "_ascribe.json"), "kernel"),
                     seconds(os.path.join(d, "scores", "_ascribe.json"), "score")))
    f = lstsq([[1, (n + m) / cores] for n, m, *_ in runs], [r[2] for r in runs])
    k = lstsq([[1, n / cores] for n, *_ in runs], [r[3] for r in runs])
    s = lstsq([[1, n * m / cores] for n, m, *_ in runs], [r[4] for r in runs])
    print("featurize: a_f = %.1f s, b_f = %.3g core-s per example (scored row or query)"
          % tuple(f))
    print("kernel:    a_k = %.1f s, b_k = %.3g core-s per example (k = 512)" % tuple(k))
    print("score:     a_s = %.1f s, b_s = %.3g core-s per (example, query) (k = 512)" % tuple(s))
    print("| n | m | featurize s (fit / run) | kernel s (fit / run) | score s (fit / run) |")
    print("|---|---|---|---|---|")
    for n, m, tf, tk, ts in runs:
        print("| %s | %s | %.0f / %.0f | %.0f / %.0f | %.0f / %.0f |" % (
            f"{n:,}", f"{m:,}", f[0] + f[1] * (n + m) / cores, tf,
            k[0] + k[1] * n / cores, tk, s[0] + s[1] * n * m / cores, ts))
    n, m, c = 100_000_000, 1000, 100
    tf = f[0] + f[1] * (n + m) / c
    tk = k[0] + k[1] * n / c
    ts = s[0] + s[1] * n * m / c
    print("extrapolated: n = 1e8, m = 1000, 1 model, k = 512, %d cores: featurize %.0f s,"
          " kernel %.0f s, score %.0f s, total %.0f s (%.1f h)" % (c, tf, tk, ts, tf + tk + ts,
                                                                   (tf + tk + ts) / 3600))


main()
