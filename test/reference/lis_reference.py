#!/usr/bin/python3
"""Independent reference for RecLens's LIS (docs/metrics.md 3b), written from the definitions, not from the code.

Recomputes from examples/planted's own files (eval.csv, interactions.csv, the pairs files, the .npy tables and the
ONNX ranker's weights, read with a minimal protobuf reader), for fixed seeds:
  - leave-one-user-out preference features phi_P for co-engagement built from interactions (window, minCount),
    and plain features for the pairs files (which carry no per-user breakdown);
  - table features phi_T (mean, max cosine between the row's item and its history);
  - the user folds of every split (RecLens's documented seeded PRNG, mulberry32, re-implemented here);
  - cross-fitted probe AUCs (scikit-learn LogisticRegression, newton-cholesky, tol 1e-12, C = 1 / (1e-6 * m) on features
    standardised with the fitted rows' mean and population sd: the same objective as RecLens's Newton probe),
    for the logistic probe and the richer one (features plus their pairwise products, squares included);
  - LIS / Value / AIS as the mean over splits of AUC(probe with features) - AUC(baseline probe), and the min-max.
Writes test/fixtures/lis_reference.json. Run with Debian's python3-sklearn and python3-numpy:
    /usr/bin/python3 test/reference/lis_reference.py
"""
import csv
import json
import math
import os
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PLANTED = os.path.join(ROOT, "examples", "planted")
OUT = os.path.join(ROOT, "test", "fixtures", "lis_reference.json")
SEEDS = [11, 4]
FOLDS, SPLITS = 2, 5
PENALTY = 1e-6
WINDOW, MIN_COUNT = 14, 1          # preferences.coengaged_14d in examples/planted/reclens.json
SAMPLE_ROWS = list(range(0, 5861, 97))  # feature values compared row by row at these rows
M32 = 0xFFFFFFFF


# ------------------------------------------------------------------ RecLens's seeded PRNG (docs/metrics.md)
def imul(a, b):
    return ((a & M32) * (b & M32)) & M32


def seeded_random(seed):
    s = (imul(((seed & M32) ^ 0x9E3779B9) & M32, 0x85EBCA6B) ^ 0xC2B2AE35) & M32
    def rnd():
        nonlocal s
        s = (s + 0x6D2B79F5) & M32
        t = s
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & M32
        t &= M32
        return ((t ^ (t >> 14)) & M32) / 4294967296.0
    return rnd


def permutation(n, rnd):
    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = math.floor(rnd() * (i + 1))
        p[i], p[j] = p[j], p[i]
    return p


def to_int32(x):
    x &= M32
    return x - (1 << 32) if x >= (1 << 31) else x


def split_seed(seed, split):
    return to_int32((to_int32(seed ^ 0x5EED)) + 7919 * split)


def user_folds(group_count, folds, seed, split):
    perm = permutation(group_count, seeded_random(split_seed(seed, split)))
    fold = [0] * group_count
    for k in range(group_count):
        fold[perm[k]] = k % folds
    return fold


# ------------------------------------------------------------------ the ranker's logit from the ONNX file
def varint(b, i):
    r = s = 0
    while True:
        c = b[i]; i += 1; r |= (c & 0x7F) << s; s += 7
        if c < 0x80:
            return r, i


def fields(b):
    i, out = 0, []
    while i < len(b):
        k, i = varint(b, i)
        f, w = k >> 3, k & 7
        if w == 0:
            v, i = varint(b, i)
        elif w == 2:
            n, i = varint(b, i); v = b[i:i + n]; i += n
        elif w == 5:
            v = b[i:i + 4]; i += 4
        elif w == 1:
            v = b[i:i + 8]; i += 8
        else:
            raise ValueError("wire type %d" % w)
        out.append((f, v))
    return out


def onnx_initializers(path):
    graph = [v for f, v in fields(open(path, "rb").read()) if f == 7][0]
    inits = {}
    for f, v in fields(graph):
        if f == 5:  # TensorProto: dims 1, name 8, raw_data 9 (float32)
            t = fields(v)
            dims = [x for ff, x in t if ff == 1]
            name = [x for ff, x in t if ff == 8][0].decode()
            raw = [x for ff, x in t if ff == 9][0]
            inits[name] = np.frombuffer(raw, dtype="<f4").reshape(dims)
    return inits


# ------------------------------------------------------------------ data
def read_csv(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def load():
    ev = read_csv(os.path.join(PLANTED, "eval.csv"))
    users = [int(r["user_id"]) for r in ev]
    items = [int(r["item_id"]) for r in ev]
    labels = np.array([int(r["label"]) for r in ev], dtype=np.int64)
    times = [float(r["time"]) for r in ev]
    ids = [int(x) for x in np.load(os.path.join(PLANTED, "tables", "item_ids.npy"))]
    tables = {name: np.load(os.path.join(PLANTED, "tables", name + ".npy")).astype(np.float32) for name in ["item_raw", "item_aligned"]}
    index = {k: r for r, k in enumerate(ids)}
    w = onnx_initializers(os.path.join(PLANTED, "model.onnx"))
    cols = ["leak", "s0", "s1", "s2", "s3", "u0", "u1", "u2", "u3"]
    x = np.array([[float(r[c]) for c in cols] for r in ev], dtype=np.float32)
    emb = tables["item_raw"][[index[i] for i in items]]
    X = np.concatenate([x, emb], axis=1).astype(np.float32)
    logit = (X @ w["linear.weight"].T.astype(np.float32) + w["linear.bias"].astype(np.float32)).astype(np.float32)[:, 0]
    inter = read_csv(os.path.join(PLANTED, "interactions.csv"))
    positives = [(int(r["user_id"]), int(r["item_id"]), float(r["time"])) for r in inter if float(r["label"]) > 0]
    return dict(users=users, items=items, labels=labels, times=times, logit=logit.astype(np.float64),
                tables=tables, index=index, positives=positives)


def histories(positives):
    h = {}
    for u, i, t in positives:
        h.setdefault(u, []).append((t, i))
    return {u: sorted(v, key=lambda e: e[0]) for u, v in h.items()}


def history_before(hist, u, t):
    return [i for (ti, i) in hist.get(u, []) if ti < t]


# ------------------------------------------------------------------ preference features
def coengagement(positives, window, start):
    """Totals and per-user shares of event pairs (a, b) of one user, different items, |t_a - t_b| <= window."""
    by_user = {}
    for u, i, t in positives:
        by_user.setdefault(u, []).append((i, t))
    leak, hist, own_leak, own_hist = {}, {}, {}, {}
    for u, ev in by_user.items():
        for x in range(len(ev)):
            for y in range(len(ev)):
                (ia, ta), (ib, tb) = ev[x], ev[y]
                if not ia < ib or abs(ta - tb) > window:
                    continue
                key = (ia, ib)
                leak[key] = leak.get(key, 0) + 1
                own_leak[(u, key)] = own_leak.get((u, key), 0) + 1
                if max(ta, tb) < start:
                    hist[key] = hist.get(key, 0) + 1
                    own_hist[(u, key)] = own_hist.get((u, key), 0) + 1
    return leak, hist, own_leak, own_hist


def pair(a, b):
    return (a, b) if a < b else (b, a)


def phi(d, hist, weight_of):
    """(log1p(sum), max) over the row's history of the pair weight weight_of(user, h, i) when it counts."""
    out = np.zeros((len(d["items"]), 2))
    for r, (u, i, t) in enumerate(zip(d["users"], d["items"], d["times"])):
        s = m = 0.0
        for h in history_before(hist, u, t):
            w = weight_of(u, h, i)
            if w is not None:
                s += w; m = max(m, w)
        out[r] = (math.log1p(s), m)
    return out


def loo_weight(total, own, min_count):
    floor = max(min_count, 1e-12)
    def weight_of(u, h, i):
        if h == i:
            return None
        key = pair(h, i)
        w = total.get(key, 0) - own.get((u, key), 0)
        return w if w >= floor else None
    return weight_of


def pairs_file(path):
    w = {}
    for r in read_csv(path):
        a, b, wt = int(r["left"]), int(r["right"]), float(r.get("weight", 1) or 1)
        if a == b or not wt > 0:
            continue
        w[pair(a, b)] = w.get(pair(a, b), 0) + wt
    def weight_of(u, h, i):
        if h == i:
            return None
        x = w.get(pair(h, i), 0)
        return x if x > 1e-12 else None
    return weight_of


def table_phi(d, hist, name):
    v = d["tables"][name].astype(np.float64)
    norms = np.sqrt((v * v).sum(axis=1)); norms[norms == 0] = 1
    v = (v / norms[:, None]).astype(np.float32).astype(np.float64)
    out = np.zeros((len(d["items"]), 2))
    for r, (u, i, t) in enumerate(zip(d["users"], d["items"], d["times"])):
        ri = d["index"].get(i)
        if ri is None:
            continue
        rows = [d["index"][h] for h in history_before(hist, u, t) if h in d["index"]]
        if rows:
            c = v[rows] @ v[ri]
            out[r] = (c.mean(), c.max())
    return out


# ------------------------------------------------------------------ cross-fitted probes
def design(base, extra, richer):
    cols = [base] + ([extra[:, 0], extra[:, 1]] if extra is not None else [])
    if richer:
        k = len(cols)
        cols = cols + [cols[a] * cols[b] for a in range(k) for b in range(a, k)]
    return np.column_stack(cols)


def out_of_fold(X, y, row_fold):
    scores = np.zeros(len(y), dtype=np.float32)
    for f in range(FOLDS):
        fit = row_fold != f
        m = int(fit.sum())
        mean = X[fit].mean(axis=0)
        sd = X[fit].std(axis=0)
        sd[sd == 0] = 1
        Z = (X - mean) / sd
        model = LogisticRegression(C=1.0 / (PENALTY * m), tol=1e-12, max_iter=1000, solver="newton-cholesky")
        model.fit(Z[fit], y[fit])
        eta = Z[~fit] @ model.coef_[0] + model.intercept_[0]
        scores[~fit] = eta.astype(np.float32)
    return scores


def main():
    d = load()
    hist = histories(d["positives"])
    start = min(d["times"])
    leak, hist_w, own_leak, own_hist = coengagement(d["positives"], WINDOW, start)
    variants = {
        "coengaged_14d:leak": phi(d, hist, loo_weight(leak, own_leak, MIN_COUNT)),
        "coengaged_14d:hist": phi(d, hist, loo_weight(hist_w, own_hist, MIN_COUNT)),
        "prefs_hist:leak": phi(d, hist, pairs_file(os.path.join(PLANTED, "prefs_hist.csv"))),
        "prefs_leak:leak": phi(d, hist, pairs_file(os.path.join(PLANTED, "prefs_leak.csv"))),
        "item_raw": table_phi(d, hist, "item_raw"),
        "item_aligned": table_phi(d, hist, "item_aligned"),
    }
    group_of, groups = {}, []
    for u in d["users"]:
        groups.append(group_of.setdefault(u, len(group_of)))
    groups = np.array(groups)
    y = d["labels"]
    out = {
        "generator": "test/reference/lis_reference.py", "sklearn": __import__("sklearn").__version__, "numpy": np.__version__,
        "workspace": "examples/planted", "folds": FOLDS, "splits": SPLITS, "penalty": PENALTY,
        "evalStart": start, "users": len(group_of), "rows": len(y),
        "features": {k: {"sum": [float(v[:, 0].sum()), float(v[:, 1].sum())], "rows": SAMPLE_ROWS,
                         "values": [[float(v[r, 0]), float(v[r, 1])] for r in SAMPLE_ROWS]} for k, v in variants.items()},
        "seeds": {},
    }
    for seed in SEEDS:
        res = {}
        for kind, richer in (("logistic", False), ("richer", True)):
            base_aucs, var_aucs = [], {k: [] for k in variants}
            for s in range(SPLITS):
                fold = np.array(user_folds(len(group_of), FOLDS, seed, s))
                row_fold = fold[groups]
                base_aucs.append(float(roc_auc_score(y, out_of_fold(design(d["logit"], None, richer), y, row_fold))))
                for k, v in variants.items():
                    var_aucs[k].append(float(roc_auc_score(y, out_of_fold(design(d["logit"], v, richer), y, row_fold))))
            gains = {k: [a - b for a, b in zip(var_aucs[k], base_aucs)] for k in variants}
            res[kind] = {
                "folds": [user_folds(len(group_of), FOLDS, seed, s)[:20] for s in range(SPLITS)],
                "baselineAucs": base_aucs,
                "gains": {k: {"mean": float(np.mean(g)), "min": float(min(g)), "max": float(max(g)), "perSplit": g} for k, g in gains.items()},
            }
        out["seeds"][str(seed)] = res
        print("seed", seed, {k: round(v["mean"], 5) for k, v in res["logistic"]["gains"].items()}, file=sys.stderr)
    tmp = OUT + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    os.replace(tmp, OUT)


if __name__ == "__main__":
    main()
