#!/usr/bin/python3
"""Generate the RecLens "planted truths" example workspace (examples/planted/).

A small synthetic recommendation world whose answers are known in advance:
  * slot `leak`     is the label itself plus noise (train and eval): by far the largest ablation impact;
  * slot `strong`   noisy views of the event context, the user's historical taste and item quality:
                    real but imperfect signal, second largest impact;
  * slot `useless`  pure noise: ~0 weights, its ablation interval contains 0;
  * slot `item_emb` the item's row of tables/item_raw.npy (content vector carrying item quality): small impact;
  * tables/item_aligned.npy is cluster (co-engagement) aligned: AIS(aligned) > AIS(raw);
  * user tastes DRIFT at the start of the evaluation period (t >= 80): every user picks up the cluster after
    their primary one, so only evaluation-period co-engagement reveals the new taste:
    LIS(prefs_leak) > Value(prefs_hist) > 0.
truth.json records the planted facts, the numbers measured here in Python, and the checks that they hold.

Run with Debian's python (torch 1.13, onnx 1.12, sklearn, numpy, pandas):
    /usr/bin/python3 make_planted.py                     # writes the workspace next to build/ (DEFAULT_SEED)
    /usr/bin/python3 make_planted.py --out DIR --seed N  # another world
    /usr/bin/python3 make_planted.py --check-seeds 1,2,4 # generate + check several worlds in temp dirs
Everything is seeded; two runs with the same seed write byte-identical files.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np
import pandas as pd
import torch
import onnx
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

torch.set_num_threads(1)

DEFAULT_SEED = 3

# ---------------------------------------------------------------- world parameters
N_USERS = 300
N_ITEMS = 200
N_CLUSTERS = 8
DIM = 16
DAYS = 100
EVAL_START = 80
TRAIN_EVENTS = 40          # mean events per user before EVAL_START
EVAL_EVENTS = 20           # mean events per user in the evaluation period
P_LIKED_EXPOSURE = 0.55    # share of exposures drawn from the user's current liked clusters
BETA = 1.0                 # context effect on the label logit
STRONG_TASTE = 0.3         # how much of the user's historical taste the strong slot sees (through s2)
ALPHA = 3.0                # taste match effect on the label logit
BIAS = -1.8
QUALITY_SD = 0.8           # item quality (intrinsic appeal), visible through item_raw
LEAK_SD = 0.65             # leak = label + N(0, LEAK_SD)
STRONG_NOISE = 0.6         # scale of the noise on the strong features
NEW_SHARE = 0.4            # share of the liked exposures that go to the new (drift) cluster in the eval period
USELESS_SD = 1.0           # scale of the pure-noise columns
RAW_CLUSTER = 0.35         # how strongly item_raw encodes the cluster (weak)
ALIGNED_NOISE = 0.8        # noise norm of item_aligned around its cluster centre (unit norm)
RAW_QUALITY = 1.0          # how strongly item_raw encodes item quality
L2 = 2e-3                  # L2 penalty on the ranker's weights
BOOT_REPS = 1000           # bootstrap resamples (of users) for the impact intervals
SLOT_CEILING_K = 64        # candidates per slot for the Python slot-ceiling sanity numbers
PAIR_WINDOW = 14           # co-engagement window (days) for the pair files
N_ONE_CLASS_USERS = (3, 3)  # users whose evaluation rows are all negative / all positive
DECIMALS = 4               # float columns are written with this many decimals

SLOT_INPUTS = {"leak": ["leak"], "strong": ["s0", "s1", "s2", "s3"], "useless": ["u0", "u1", "u2", "u3"]}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- metrics
def auc(y, s):
    """AUC with ties counted 1/2 (rank formulation)."""
    y = np.asarray(y)
    n1 = int(y.sum())
    n0 = len(y) - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    r = pd.Series(np.asarray(s, dtype=np.float64)).rank(method="average").to_numpy()
    return float((r[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def gauc(y, s, g):
    df = pd.DataFrame({"y": y, "s": s, "g": g})
    num = den = 0.0
    skipped = 0
    for _, d in df.groupby("g", sort=True):
        if d.y.nunique() < 2:
            skipped += 1
            continue
        num += len(d) * auc(d.y.to_numpy(), d.s.to_numpy())
        den += len(d)
    return num / den, skipped


def logloss_from_logit(y, z):
    p = np.clip(1 / (1 + np.exp(-z)), 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def boot_diff_ci(y, g, s_a, s_b, reps, seed):
    """95% percentile intervals of AUC(s_a) - AUC(s_b) and GAUC(s_a) - GAUC(s_b): paired bootstrap by group."""
    rng = np.random.default_rng(seed)
    groups = np.unique(g)
    idx_by_g = [np.flatnonzero(g == k) for k in groups]
    # per-group AUCs do not change when whole groups are resampled
    ga = np.array([auc(y[i], s_a[i]) for i in idx_by_g])
    gb = np.array([auc(y[i], s_b[i]) for i in idx_by_g])
    gn = np.array([len(i) for i in idx_by_g], dtype=np.float64)
    ok = ~np.isnan(ga)
    out, gout = [], []
    for _ in range(reps):
        pick = rng.integers(0, len(groups), len(groups))
        idx = np.concatenate([idx_by_g[k] for k in pick])
        out.append(auc(y[idx], s_a[idx]) - auc(y[idx], s_b[idx]))
        w = np.bincount(pick, minlength=len(groups)) * gn
        gout.append(float((w[ok] * (ga[ok] - gb[ok])).sum() / w[ok].sum()))
    pct = lambda v: [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))]
    return pct(out), pct(gout)


# ---------------------------------------------------------------- world
def make_world(seed):
    rng = np.random.default_rng(seed)
    # items: 25 per cluster, ids are not row indices (and the table rows are shuffled)
    cluster = np.repeat(np.arange(N_CLUSTERS), N_ITEMS // N_CLUSTERS)
    rng.shuffle(cluster)
    item_ids = 1000 + 7 * np.arange(N_ITEMS)           # item_id of item index k
    quality = rng.normal(0, QUALITY_SD, N_ITEMS)

    # users: primary cluster p, optional secondary (never p+1), drift cluster n = p+1 at EVAL_START
    primary = rng.integers(0, N_CLUSTERS, N_USERS)
    liked_hist = []
    new_cluster = (primary + 1) % N_CLUSTERS
    for u in range(N_USERS):
        s = {int(primary[u])}
        if rng.random() < 0.5:
            choices = [c for c in range(N_CLUSTERS) if c not in (primary[u], new_cluster[u])]
            s.add(int(rng.choice(choices)))
        liked_hist.append(sorted(s))
    user_ids = np.arange(1, N_USERS + 1)

    by_cluster = [np.flatnonzero(cluster == c) for c in range(N_CLUSTERS)]

    def events(u, n, t_lo, t_hi, liked, new=None):
        times = np.sort(rng.integers(t_lo, t_hi, n))
        items = np.empty(n, dtype=np.int64)
        for k in range(n):
            if rng.random() < P_LIKED_EXPOSURE:
                if new is not None and rng.random() < NEW_SHARE:
                    c = new
                else:
                    c = liked[rng.integers(0, len(liked))]
                items[k] = rng.choice(by_cluster[c])
            else:
                items[k] = rng.integers(0, N_ITEMS)
        match = np.isin(cluster[items], liked + ([new] if new is not None else [])).astype(np.float64)
        ctx = rng.normal(0, 1, n)      # per-event context / intent, seen (noisily) by the strong features
        p = 1 / (1 + np.exp(-(ALPHA * match + BETA * ctx + quality[items] + BIAS)))
        y = (rng.random(n) < p).astype(np.int64)
        return times, items, y, ctx

    rows = []
    for u in range(N_USERS):
        n_tr = int(rng.integers(TRAIN_EVENTS - 10, TRAIN_EVENTS + 11))
        n_ev = int(rng.integers(EVAL_EVENTS - 6, EVAL_EVENTS + 7))
        t, i, y, c = events(u, n_tr, 0, EVAL_START, liked_hist[u])
        rows.append(pd.DataFrame({"u": u, "i": i, "y": y, "time": t, "ctx": c}))
        t, i, y, c = events(u, n_ev, EVAL_START, DAYS, liked_hist[u], int(new_cluster[u]))
        rows.append(pd.DataFrame({"u": u, "i": i, "y": y, "time": t, "ctx": c}))
    ev = pd.concat(rows, ignore_index=True)

    # a few users get only one class in the evaluation period (GAUC must skip them)
    n_neg, n_pos = N_ONE_CLASS_USERS
    special = rng.choice(N_USERS, size=n_neg + n_pos, replace=False)
    in_eval = ev.time >= EVAL_START
    drop = np.zeros(len(ev), dtype=bool)
    for k, u in enumerate(special):
        keep_label = 0 if k < n_neg else 1
        drop |= (in_eval & (ev.u == u) & (ev.y != keep_label)).to_numpy()
    ev = ev[~drop].reset_index(drop=True)

    # ---- features
    n = len(ev)
    u_arr = ev.u.to_numpy()
    i_arr = ev.i.to_numpy()
    y_arr = ev.y.to_numpy().astype(np.float64)
    a_hist = np.array([cluster[i] in liked_hist[u] for u, i in zip(u_arr, i_arr)], dtype=np.float64)
    q = quality[i_arr]
    ctx = ev.ctx.to_numpy()
    # strong: noisy views of the event's context / intent (drift-free), one of them also of the user's
    # historical taste for the item's cluster (what a profile pipeline built before the drift knows)
    s0 = 1.0 * ctx + rng.normal(0, STRONG_NOISE * 0.6, n)
    s1 = 1.0 * ctx + rng.normal(0, STRONG_NOISE * 1.0, n)
    s2 = 0.6 * ctx + STRONG_TASTE * a_hist + rng.normal(0, STRONG_NOISE * 0.8, n)
    s3 = 0.5 * ctx + 0.3 * q + rng.normal(0, STRONG_NOISE * 1.2, n)
    strong = np.stack([s0, s1, s2, s3], 1)
    strong -= strong[ev.time.to_numpy() < EVAL_START].mean(0)   # roughly centred: mask to 0 ~ mean
    useless = rng.normal(0, USELESS_SD, (n, 4))
    leak = y_arr + rng.normal(0, LEAK_SD, n)

    # ---- tables
    centers = rng.normal(0, 1, (N_CLUSTERS, DIM))
    centers /= np.linalg.norm(centers, axis=1, keepdims=True)
    q_dir = rng.normal(0, 1, DIM)
    q_dir /= np.linalg.norm(q_dir)
    # raw content: weakly related to the cluster, carries item quality along one direction
    raw = RAW_CLUSTER * centers[cluster] + RAW_QUALITY * quality[:, None] * q_dir[None, :] + rng.normal(0, 1 / np.sqrt(DIM) * 1.0, (N_ITEMS, DIM))
    # aligned (co-engagement aligned): dominated by the cluster
    aligned = 1.0 * centers[cluster] + rng.normal(0, ALIGNED_NOISE / np.sqrt(DIM), (N_ITEMS, DIM))
    table_order = rng.permutation(N_ITEMS)       # row r of the table holds item index table_order[r]

    return dict(
        ev=ev, cluster=cluster, item_ids=item_ids, user_ids=user_ids, quality=quality,
        primary=primary, liked_hist=liked_hist, new_cluster=new_cluster, special=special,
        strong=strong, useless=useless, leak=leak,
        raw=raw.astype(np.float32), aligned=aligned.astype(np.float32), table_order=table_order,
    )


def build_pairs(inter, t_max):
    """Undirected co-engagement pairs: two positives of one user within PAIR_WINDOW days, both with time < t_max.
    weight = number of distinct users; time = latest time (the later event) at which the pair was co-engaged."""
    pos = inter[(inter.label == 1) & (inter.time < t_max)]
    acc = {}
    for uid, d in pos.groupby("user_id", sort=True):
        items = d.item_id.to_numpy()
        times = d.time.to_numpy()
        seen = {}
        for a in range(len(items)):
            for b in range(a + 1, len(items)):
                if abs(times[a] - times[b]) > PAIR_WINDOW or items[a] == items[b]:
                    continue
                key = (min(items[a], items[b]), max(items[a], items[b]))
                seen[key] = max(seen.get(key, -1), max(times[a], times[b]))
        for key, t in seen.items():
            w, tt = acc.get(key, (0, -1))
            acc[key] = (w + 1, max(tt, t))
    out = pd.DataFrame([(k[0], k[1], v[0], v[1]) for k, v in sorted(acc.items())],
                       columns=["left", "right", "weight", "time"])
    return out


# ---------------------------------------------------------------- model
class Ranker(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(1 + 4 + 4 + DIM, 1)

    def forward(self, leak, strong, useless, item_emb):
        x = torch.cat([leak, strong, useless, item_emb], dim=1)
        return self.linear(x).squeeze(-1)


def model_inputs(df, table, id_to_row):
    rows = np.array([id_to_row[i] for i in df.item_id.to_numpy()])
    return {
        "leak": df[["leak"]].to_numpy(np.float32),
        "strong": df[SLOT_INPUTS["strong"]].to_numpy(np.float32),
        "useless": df[SLOT_INPUTS["useless"]].to_numpy(np.float32),
        "item_emb": table[rows].astype(np.float32),
    }


def train_model(x, y, seed):
    torch.manual_seed(seed)
    m = Ranker()
    with torch.no_grad():
        m.linear.weight.zero_()
        m.linear.bias.zero_()
    tx = {k: torch.from_numpy(v) for k, v in x.items()}
    ty = torch.from_numpy(y.astype(np.float32))
    opt = torch.optim.LBFGS(m.parameters(), lr=1.0, max_iter=500, tolerance_grad=1e-9, tolerance_change=1e-12,
                            history_size=20, line_search_fn="strong_wolfe")
    l2 = L2

    def closure():
        opt.zero_grad()
        z = m(**tx)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z, ty) + l2 * (m.linear.weight ** 2).sum()
        loss.backward()
        return loss

    for _ in range(3):
        opt.step(closure)
    return m


def score(m, x):
    with torch.no_grad():
        return m(**{k: torch.from_numpy(v) for k, v in x.items()}).numpy().astype(np.float64)


def export_onnx(m, x, path):
    names = ["leak", "strong", "useless", "item_emb"]
    sample = tuple(torch.from_numpy(x[k][:2]) for k in names)
    dyn = {k: {0: "batch"} for k in names}
    dyn["logit"] = {0: "batch"}
    torch.onnx.export(m, sample, path, input_names=names, output_names=["logit"], dynamic_axes=dyn,
                      opset_version=13, do_constant_folding=True)
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    # stable metadata
    model.producer_name = "reclens-planted"
    model.producer_version = "1"
    model.doc_string = "RecLens planted-truths ranker: logistic regression, output is a raw logit"
    onnx.save(model, path)
    onnx.checker.check_model(onnx.load(path), full_check=True)
    sig = {}
    for vi in list(model.graph.input) + list(model.graph.output):
        dims = [d.dim_param or d.dim_value for d in vi.type.tensor_type.shape.dim]
        sig[vi.name] = {"type": onnx.TensorProto.DataType.Name(vi.type.tensor_type.elem_type).lower(), "shape": dims}
    return sig


# ---------------------------------------------------------------- 3b probe
def histories(inter):
    """user -> (sorted times of positives, items)"""
    pos = inter[inter.label == 1].sort_values(["user_id", "time"], kind="mergesort")
    return {u: (d.time.to_numpy(), d.item_id.to_numpy()) for u, d in pos.groupby("user_id", sort=True)}


def hist_sets(ev, hist):
    out = []
    for u, t in zip(ev.user_id.to_numpy(), ev.time.to_numpy()):
        if u in hist:
            ts, its = hist[u]
            out.append(np.unique(its[ts < t]))
        else:
            out.append(np.array([], dtype=np.int64))
    return out


def phi_pairs(ev, H, pairs):
    w = {}
    for a, b, wt in zip(pairs.left.to_numpy(), pairs.right.to_numpy(), pairs.weight.to_numpy()):
        w[(a, b)] = float(wt)
        w[(b, a)] = float(wt)
    f = np.zeros((len(ev), 2))
    for r, (i, h) in enumerate(zip(ev.item_id.to_numpy(), H)):
        ws = [w.get((int(x), int(i)), 0.0) for x in h]
        if ws:
            f[r, 0] = np.log1p(sum(ws))
            f[r, 1] = max(ws)
    return f


def phi_table(ev, H, table, id_to_row):
    tn = table / np.maximum(np.linalg.norm(table, axis=1, keepdims=True), 1e-12)
    f = np.zeros((len(ev), 2))
    for r, (i, h) in enumerate(zip(ev.item_id.to_numpy(), H)):
        if len(h) == 0:
            continue
        c = tn[[id_to_row[x] for x in h]] @ tn[id_to_row[i]]
        f[r, 0] = c.mean()
        f[r, 1] = c.max()
    return f


def probe_auc(y, users, feats, split_seed):
    rng = np.random.default_rng(split_seed)
    uu = np.unique(users)
    fit_users = set(rng.permutation(uu)[: len(uu) // 2].tolist())
    fit = np.array([u in fit_users for u in users])
    X = feats
    mu, sd = X[fit].mean(0), X[fit].std(0) + 1e-12
    X = (X - mu) / sd
    lr = LogisticRegression(C=1e6, max_iter=1000).fit(X[fit], y[fit])
    return auc(y[~fit], lr.decision_function(X[~fit]))


# ---------------------------------------------------------------- main
def r4(x):
    return round(float(x), 4) + 0.0   # + 0.0: no "-0.0" in truth.json


def generate(out, seed):
    t0 = pd.Timestamp.now()
    W = make_world(seed)
    ev = W["ev"]
    iid, uid = W["item_ids"], W["user_ids"]
    base = pd.DataFrame({
        "user_id": uid[ev.u.to_numpy()], "item_id": iid[ev.i.to_numpy()],
        "label": ev.y.to_numpy(), "time": ev.time.to_numpy(),
        "leak": W["leak"],
    })
    for k in range(4):
        base[f"s{k}"] = W["strong"][:, k]
    for k in range(4):
        base[f"u{k}"] = W["useless"][:, k]
    base = base.sort_values(["time", "user_id", "item_id"], kind="mergesort").reset_index(drop=True)
    fcols = ["leak"] + SLOT_INPUTS["strong"] + SLOT_INPUTS["useless"]
    base[fcols] = base[fcols].round(DECIMALS)

    os.makedirs(os.path.join(out, "tables"), exist_ok=True)
    is_eval = base.time >= EVAL_START
    fmt = f"%.{DECIMALS}f"
    base[~is_eval].to_csv(os.path.join(out, "train.csv"), index=False, float_format=fmt, lineterminator="\n")
    base[is_eval].to_csv(os.path.join(out, "eval.csv"), index=False, float_format=fmt, lineterminator="\n")
    inter = base[["user_id", "item_id", "label", "time"]]
    inter.to_csv(os.path.join(out, "interactions.csv"), index=False, lineterminator="\n")

    order = W["table_order"]
    ids_tab = iid[order].astype(np.int64)
    np.save(os.path.join(out, "tables", "item_ids.npy"), ids_tab)
    np.save(os.path.join(out, "tables", "item_raw.npy"), np.ascontiguousarray(W["raw"][order]))
    np.save(os.path.join(out, "tables", "item_aligned.npy"), np.ascontiguousarray(W["aligned"][order]))

    p_hist = build_pairs(inter, EVAL_START)
    p_leak = build_pairs(inter, DAYS + 1)
    p_hist.to_csv(os.path.join(out, "prefs_hist.csv"), index=False, lineterminator="\n")
    p_leak.to_csv(os.path.join(out, "prefs_leak.csv"), index=False, lineterminator="\n")

    # ---- read back exactly what the engine will read
    train = pd.read_csv(os.path.join(out, "train.csv"))
    evdf = pd.read_csv(os.path.join(out, "eval.csv"))
    inter = pd.read_csv(os.path.join(out, "interactions.csv"))
    ids_tab = np.load(os.path.join(out, "tables", "item_ids.npy"))
    raw = np.load(os.path.join(out, "tables", "item_raw.npy"))
    aligned = np.load(os.path.join(out, "tables", "item_aligned.npy"))
    id_to_row = {int(v): r for r, v in enumerate(ids_tab)}

    xtr = model_inputs(train, raw, id_to_row)
    m = train_model(xtr, train.label.to_numpy(), seed)
    sig = export_onnx(m, xtr, os.path.join(out, "model.onnx"))

    # ---- ablation (mask = zero, the slot's default neutral value)
    xev = model_inputs(evdf, raw, id_to_row)
    y = evdf.label.to_numpy()
    g = evdf.user_id.to_numpy()
    z_full = score(m, xev)
    measured = {"auc": {}, "gauc": {}, "logloss": {}}
    full_g, skipped = gauc(y, z_full, g)
    measured["auc"]["full"] = r4(auc(y, z_full))
    measured["gauc"]["full"] = r4(full_g)
    measured["gaucSkippedGroups"] = skipped
    measured["logloss"]["full"] = r4(logloss_from_logit(y, z_full))
    measured["auc"]["train_full"] = r4(auc(train.label.to_numpy(), score(m, xtr)))
    imp_raw, ci_raw, gimp_raw, gci_raw = {}, {}, {}, {}
    scores_mask = {}
    impact = {}
    for slot in ["leak", "strong", "useless", "item_emb"]:
        xm = dict(xev)
        xm[slot] = np.zeros_like(xev[slot])
        z = score(m, xm)
        scores_mask[slot] = z
        key = f"mask_{slot}"
        measured["auc"][key] = r4(auc(y, z))
        measured["gauc"][key] = r4(gauc(y, z, g)[0])
        measured["logloss"][key] = r4(logloss_from_logit(y, z))
        imp_raw[slot] = auc(y, z_full) - auc(y, z)
        gimp_raw[slot] = full_g - gauc(y, z, g)[0]
        ci_raw[slot], gci_raw[slot] = boot_diff_ci(y, g, z_full, z, BOOT_REPS, seed + 1)
        impact[slot] = {
            "auc": round(imp_raw[slot], 6), "auc95": [round(v, 6) for v in ci_raw[slot]],
            "gauc": round(gimp_raw[slot], 6), "gauc95": [round(v, 6) for v in gci_raw[slot]],
            "logloss": round(logloss_from_logit(y, z) - logloss_from_logit(y, z_full), 6),
        }
    measured["impactMask"] = impact
    measured["impactNote"] = ("impact = metric(full) - metric(slot masked to zero) (LogLoss: ablated - full); "
                              f"95% paired percentile intervals, {BOOT_REPS} bootstrap resamples of users")
    # permutation impact (seeded row permutation, 5 repeats): mean and range
    rngp = np.random.default_rng(seed + 2)
    perm = {}
    for slot in ["leak", "strong", "useless", "item_emb"]:
        vals = []
        for _ in range(5):
            xm = dict(xev)
            xm[slot] = xev[slot][rngp.permutation(len(y))]
            vals.append(auc(y, z_full) - auc(y, score(m, xm)))
        perm[slot] = {"mean": round(float(np.mean(vals)), 6), "min": round(float(np.min(vals)), 6),
                      "max": round(float(np.max(vals)), 6)}
    measured["impactPermuteAuc"] = perm

    # ---- 3a slot ceiling (frozen ranker): K candidate values of the slot drawn from distinct eval values (seeded);
    # each positive row takes the candidate that maximises the logit, each negative the one that minimises it
    rngc = np.random.default_rng(seed + 3)
    ceiling = {"K": SLOT_CEILING_K}
    for slot in ["leak", "strong", "useless", "item_emb"]:
        uniq = np.unique(xev[slot], axis=0)
        cand = uniq[rngc.choice(len(uniq), size=min(SLOT_CEILING_K, len(uniq)), replace=False)]
        zc = np.empty((len(cand), len(y)))
        for k, c in enumerate(cand):
            xm = dict(xev)
            xm[slot] = np.broadcast_to(c, xev[slot].shape).copy()
            zc[k] = score(m, xm)
        oracle = np.where(y == 1, zc.max(0), zc.min(0))
        a_or, a_mask = auc(y, oracle), auc(y, scores_mask[slot])
        ceil = a_or - a_mask
        realised = auc(y, z_full) - a_mask
        ceiling[slot] = {"aucOracle": r4(a_or), "ceiling": r4(ceil), "realised": r4(realised),
                         "slotEfficiency": r4(realised / ceil) if ceil > 1e-9 else None}
    measured["slotCeiling"] = ceiling

    # ---- 3b probe
    hist = histories(inter)
    H = hist_sets(evdf, hist)
    feats = {
        "prefs_leak": phi_pairs(evdf, H, p_leak),
        "prefs_hist": phi_pairs(evdf, H, p_hist),
        "item_raw": phi_table(evdf, H, raw, id_to_row),
        "item_aligned": phi_table(evdf, H, aligned, id_to_row),
    }
    split_seeds = [seed + 10 + k for k in range(5)]
    lz = z_full[:, None]
    base_aucs = [probe_auc(y, g, lz, s) for s in split_seeds]
    probe = {"splitSeeds": split_seeds, "baselineProbeAuc": r4(np.mean(base_aucs))}
    gains = {}
    for name, f in feats.items():
        a = [probe_auc(y, g, np.hstack([lz, f]), s) for s in split_seeds]
        gains[name] = [ai - bi for ai, bi in zip(a, base_aucs)]
        probe[f"probeAuc_{name}"] = r4(np.mean(a))
    probe["LIS_prefs_leak"] = r4(np.mean(gains["prefs_leak"]))
    probe["Value_prefs_hist"] = r4(np.mean(gains["prefs_hist"]))
    probe["AIS_item_raw"] = r4(np.mean(gains["item_raw"]))
    probe["AIS_item_aligned"] = r4(np.mean(gains["item_aligned"]))
    probe["perSplit"] = {k: [r4(v) for v in vals] for k, vals in gains.items()}
    probe["Efficiency_aligned_vs_leak"] = r4(probe["AIS_item_aligned"] / probe["LIS_prefs_leak"])
    probe["Efficiency_raw_vs_leak"] = r4(probe["AIS_item_raw"] / probe["LIS_prefs_leak"])
    measured["probe"] = probe

    w = m.linear.weight.detach().numpy()[0].astype(np.float64)
    weights = {"leak": [r4(v) for v in w[0:1]], "strong": [r4(v) for v in w[1:5]],
               "useless": [r4(v) for v in w[5:9]], "item_emb": [r4(v) for v in w[9:]],
               "bias": r4(m.linear.bias.item())}

    imp = imp_raw
    # robust planted orderings: must hold in every world the generator makes
    checks = {
        "leak has by far the largest impact (> 3x the next)": imp["leak"] > 3 * max(imp["strong"], imp["item_emb"]),
        "impact(strong) > impact(item_emb) > impact(useless)": imp["strong"] > imp["item_emb"] > imp["useless"],
        "permute: leak > 3x the next, strong > item_emb > |useless|": (
            perm["leak"]["mean"] > 3 * max(perm["strong"]["mean"], perm["item_emb"]["mean"])
            and perm["strong"]["mean"] > perm["item_emb"]["mean"] > abs(perm["useless"]["mean"])),
        "LogLoss impact: leak > strong > item_emb > 0 and |useless| < 0.001": (
            impact["leak"]["logloss"] > impact["strong"]["logloss"] > impact["item_emb"]["logloss"] > 0
            and abs(impact["useless"]["logloss"]) < 0.001),
        "impact(strong) 95% interval excludes 0 (AUC and GAUC)": ci_raw["strong"][0] > 0 and gci_raw["strong"][0] > 0,
        "|impact(useless)| < 0.001 (AUC), < 0.002 (GAUC)": abs(imp["useless"]) < 0.001 and abs(gimp_raw["useless"]) < 0.002,
        "LIS(prefs_leak) > Value(prefs_hist) on every split": all(a > b for a, b in zip(gains["prefs_leak"], gains["prefs_hist"])),
        "Value(prefs_hist) > 0 on every split": all(v > 0 for v in gains["prefs_hist"]),
        "AIS(item_aligned) > AIS(item_raw) on every split": all(a > b for a, b in zip(gains["item_aligned"], gains["item_raw"])),
        "LIS(prefs_leak) > AIS(item_aligned) on every split": all(a > b for a, b in zip(gains["prefs_leak"], gains["item_aligned"])),
        "GAUC skips at least one one-class user": skipped >= 1,
        "impact(item_emb) 95% interval excludes 0 (AUC)": ci_raw["item_emb"][0] > 0,
        "slot ceiling: leak largest, useless smallest": (
            ceiling["leak"]["ceiling"] == max(ceiling[k]["ceiling"] for k in ["leak", "strong", "useless", "item_emb"])
            and ceiling["useless"]["ceiling"] == min(ceiling[k]["ceiling"] for k in ["leak", "strong", "useless", "item_emb"])),
    }

    # A zero-effect slot's 95% interval contains 0 in ~95% of worlds, not in all of them. This is checked for the
    # shipped seed, chosen so that 0 sits well inside (|centre| < 0.5 half-width) for both AUC and GAUC.
    def centred(ci):
        mid, hw = (ci[0] + ci[1]) / 2, (ci[1] - ci[0]) / 2
        return ci[0] <= 0 <= ci[1] and abs(mid) < 0.5 * hw

    statistical = {
        "impact(useless) 95% interval contains 0, well inside (AUC)": centred(ci_raw["useless"]),
        "impact(useless) 95% interval contains 0, well inside (GAUC)": centred(gci_raw["useless"]),
    }

    n_users_eval = evdf.user_id.nunique()
    truth = {
        "seed": seed,
        "generator": "build/make_planted.py",
        "world": {
            "users": N_USERS, "items": N_ITEMS, "clusters": N_CLUSTERS, "itemsPerCluster": N_ITEMS // N_CLUSTERS,
            "embeddingDim": DIM, "days": DAYS, "evalStart": EVAL_START,
            "itemIds": "1000 + 7 * k (k = 0..%d); the table rows are shuffled, so ids are not row numbers" % (N_ITEMS - 1),
            "userIds": "1..%d" % N_USERS,
            "taste": "each user likes a primary cluster p and, with probability 0.5, one more (never p+1)",
            "label": (f"Bernoulli(sigmoid({ALPHA} * [item cluster in the user's current taste] + {BETA} * context "
                      f"+ quality(item) + ({BIAS}))), context ~ N(0,1) per event, quality ~ N(0,{QUALITY_SD}) per item"),
            "exposure": f"{P_LIKED_EXPOSURE} of the exposures come from the user's current liked clusters, the rest uniform",
            "drift": (f"at t >= {EVAL_START} every user also likes cluster (p + 1) mod {N_CLUSTERS}, which gets "
                      f"{NEW_SHARE} of the liked exposures; no ranker input knows this new taste"),
            "leakNoiseSd": LEAK_SD, "pairWindowDays": PAIR_WINDOW,
            "oneClassEvalUsers": {"allNegative": [int(uid[u]) for u in W["special"][:N_ONE_CLASS_USERS[0]]],
                                  "allPositive": [int(uid[u]) for u in W["special"][N_ONE_CLASS_USERS[0]:]]},
        },
        "rows": {
            "eval": int(len(evdf)), "train": int(len(train)), "interactions": int(len(inter)),
            "evalPositiveRate": r4(y.mean()), "evalUsers": int(n_users_eval),
            "prefs_hist": int(len(p_hist)), "prefs_leak": int(len(p_leak)),
        },
        "slots": {
            "leak": {"role": "leak", "inputs": ["leak"], "columns": ["leak"],
                     "truth": f"leak = label + N(0, {LEAK_SD}) in train and eval: by far the largest impact (mask and permute)"},
            "strong": {"role": "strong", "inputs": ["strong"], "columns": SLOT_INPUTS["strong"],
                       "truth": ("noisy views of the event context (s0, s1, s3), of the user's historical taste for the item's "
                                 "cluster (s2) and of item quality (s3): real, imperfect signal; second largest impact, "
                                 "interval excludes 0")},
            "useless": {"role": "useless", "inputs": ["useless"], "columns": SLOT_INPUTS["useless"],
                        "truth": f"pure N(0, {USELESS_SD}) noise: ~0 weights, |impact| < 0.001, impact interval contains 0"},
            "item_emb": {"role": "weak", "inputs": ["item_emb"], "table": "item_raw",
                         "truth": "tables/item_raw.npy row of the item: carries item quality; small positive impact, interval excludes 0"},
        },
        "leakSlot": "leak", "uselessSlot": "useless", "strongSlot": "strong",
        "expected": {
            "ablationOrder": ["leak", "strong", "item_emb", "useless"],
            "ablationOrderHoldsFor": ["AUC", "GAUC", "LogLoss", "mask (zero)", "permute"],
            "leakFactor": "impact(leak) > 3 x impact(strong)",
            "impactIntervalExcludes0": ["leak", "strong", "item_emb"],
            "impactIntervalContains0": ["useless"],
            "slotCeilingLargest": "leak", "slotCeilingSmallest": "useless",
            "lisOrder": ["LIS(prefs_leak)", "AIS(item_aligned)", "AIS(item_raw)"],
            "valueOrder": ["LIS(prefs_leak)", "Value(prefs_hist)", "0"],
            "efficiencyOrder": ["Efficiency(item_aligned, prefs_leak)", "Efficiency(item_raw, prefs_leak)"],
        },
        "expectedOrderings": [
            "impact(leak) >> impact(strong) > impact(item_emb) > impact(useless) ~ 0 (AUC, GAUC, LogLoss; mask and permute)",
            "impact(useless) 95% interval contains 0; impact(strong) and impact(item_emb) intervals exclude 0",
            "slot ceiling: leak largest, useless smallest",
            "LIS(prefs_leak) > AIS(item_aligned) > AIS(item_raw)",
            "LIS(prefs_leak) > Value(prefs_hist) > 0",
            "Efficiency(item_aligned, prefs_leak) > Efficiency(item_raw, prefs_leak)",
        ],
        "model": {"path": "model.onnx", "kind": f"logistic regression (torch, full-batch LBFGS, L2 {L2:g} on the weights) trained on train.csv",
                  "outputKind": "logit", "signature": sig, "weights": weights},
        "measured": measured,
        "checks": checks,
        "statisticalChecks": statistical,
        "allChecksHold": all(checks.values()) and all(statistical.values()),
        "notes": "Probe numbers: sklearn logistic regression on standardised [logit, phi], fitted on half of the users and "
                 "scored (pooled AUC) on the other half, averaged over 5 seeded user splits. History H(r) = distinct positive "
                 "items of the user in interactions.csv with time < t_r. Pairs are undirected (left < right), weight = number "
                 "of users who co-engaged both items positively within %d days." % PAIR_WINDOW,
    }
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump(truth, f, indent=2)
        f.write("\n")
    log(f"seed {seed}: generated in {(pd.Timestamp.now() - t0).total_seconds():.1f}s -> {out}")
    return truth


def summary_line(t):
    m = t["measured"]
    p = m["probe"]
    im = m["impactMask"]
    pm = m["impactPermuteAuc"]
    return (f"seed {t['seed']}: AUC full {m['auc']['full']:.4f} | mask leak {im['leak']['auc']:.4f} strong "
            f"{im['strong']['auc']:.4f} {im['strong']['auc95']} item_emb {im['item_emb']['auc']:.4f} useless "
            f"{im['useless']['auc']:+.5f} {im['useless']['auc95']} gauc {im['useless']['gauc']:+.5f} {im['useless']['gauc95']} | "
            f"perm leak {pm['leak']['mean']:.4f} strong {pm['strong']['mean']:.4f} emb {pm['item_emb']['mean']:.4f} | "
            f"LL leak {im['leak']['logloss']:.4f} strong {im['strong']['logloss']:.4f} emb {im['item_emb']['logloss']:.4f} | "
            f"LIS {p['LIS_prefs_leak']:.4f} Value {p['Value_prefs_hist']:.4f} "
            f"AIS aligned {p['AIS_item_aligned']:.4f} raw {p['AIS_item_raw']:.4f} | "
            f"robust {all(t['checks'].values())} statistical {all(t['statisticalChecks'].values())}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.dirname(here))
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--check-seeds", default=None, help="comma-separated seeds: generate each in a temp dir and check")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="override a world parameter (exploration only; the shipped files use the defaults)")
    a = ap.parse_args()
    for kv in a.set:
        k, v = kv.split("=", 1)
        if k not in globals() or k.startswith("_"):
            ap.error(f"unknown parameter {k}")
        globals()[k] = type(globals()[k])(v) if not isinstance(globals()[k], tuple) else tuple(int(x) for x in v.split(","))
    if a.check_seeds:
        ok = True
        for s in [int(v) for v in a.check_seeds.split(",")]:
            d = tempfile.mkdtemp(prefix=f"planted-{s}-")
            try:
                t = generate(d, s)
                print(summary_line(t), flush=True)
                for k, v in t["checks"].items():
                    if not v:
                        print(f"   FAILED: {k}")
                for k, v in t["statisticalChecks"].items():
                    if not v:
                        print(f"   note (statistical, only required of the shipped seed): not {k}")
                ok &= all(t["checks"].values())
            finally:
                shutil.rmtree(d)
        sys.exit(0 if ok else 1)
    t = generate(a.out, a.seed)
    print(summary_line(t))
    for k, v in list(t["checks"].items()) + list(t["statisticalChecks"].items()):
        print(("   ok      " if v else "   FAILED  ") + k)
    sys.exit(0 if t["allChecksHold"] else 1)


if __name__ == "__main__":
    main()
