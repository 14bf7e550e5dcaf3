#!/usr/bin/env python3
"""Build the RecLens MovieLens example workspace (everything except the Parquet files).

Run with Debian's Python (it has torch, onnx, sklearn, numpy, pandas):

    /usr/bin/python3 make_example.py --data DIR --out examples/movielens --tmp TMPDIR

Writes into --out:
    tables/item_ids.npy, tables/content_tfidf.npy, tables/content_aligned.npy,
    model.onnx, torch_reference.json
and into --tmp the CSV files that to_parquet.mjs turns into
    train.parquet, eval.parquet, interactions.parquet, tables/content_aligned.parquet.

Everything is seeded and single-threaded so two runs give identical files.
"""
import os

# Single-threaded BLAS / torch: identical bits from run to run (and it is fast enough).
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse
import json
import random
import re
import sys
import time

import numpy as np
import pandas as pd
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import roc_auc_score

SEED = 7
EVAL_FRACTION = 0.20          # the last ~20% of ratings (by time) are the evaluation period
DIM = 32                      # content embedding size
ID_DIM = 16                   # id embedding size
OPSET = 17

# Fixed genre order of the `genres` multi-hot (index 0..19). '(no genres listed)' is its own
# (last) position: a movie without genres has a 1 there and zeros elsewhere.
GENRES = [
    "Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama",
    "Fantasy", "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance", "Sci-Fi",
    "Thriller", "War", "Western", "(no genres listed)",
]

# Co-engagement pairs for the aligned projection: two positives of the same user at most
# PAIR_WINDOW seconds apart, each positive paired with its next PAIR_NEXT positives.
PAIR_WINDOW = 24 * 3600
PAIR_NEXT = 10

T0 = time.time()


def log(msg):
    print(f"[make_example {time.time() - T0:6.1f}s] {msg}", flush=True)


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)


# --------------------------------------------------------------------------------------------
# Content embeddings
# --------------------------------------------------------------------------------------------

def movie_documents(movies, tags):
    """One text document per movie: title words, year / decade, genres and (training-period) tags."""
    tag_text = (
        tags.assign(tag=tags["tag"].astype(str).str.lower())
        .sort_values(["movieId", "userId", "timestamp", "tag"])
        .groupby("movieId")["tag"].apply(lambda s: " ".join(s))
    )
    docs = []
    year_re = re.compile(r"\((\d{4})\)\s*$")
    for mid, title, genres in zip(movies.movieId, movies.title, movies.genres):
        parts = []
        m = year_re.search(title)
        if m:
            year = int(m.group(1))
            parts.append(year_re.sub("", title))
            parts.append(f"year_{year} decade_{year // 10 * 10}s")
        else:
            parts.append(title)
        gtok = []
        for g in genres.split("|"):
            g = "none" if g == "(no genres listed)" else g
            gtok.append("genre_" + re.sub(r"[^a-z0-9]", "_", g.lower()))
        parts.append(" ".join(gtok * 2))  # genres weigh twice
        if mid in tag_text.index:
            parts.append(tag_text.loc[mid])
        docs.append(" ".join(parts))
    return docs


def l2_normalise(x):
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(n > 0, n, 1.0)


def content_tfidf(movies, tags):
    docs = movie_documents(movies, tags)
    vec = TfidfVectorizer(lowercase=True, token_pattern=r"(?u)\b\w[\w\-]*\b", min_df=2,
                          sublinear_tf=True, dtype=np.float64)
    X = vec.fit_transform(docs)
    svd = TruncatedSVD(n_components=DIM, algorithm="randomized", n_iter=7, random_state=SEED)
    Z = svd.fit_transform(X)
    # Fix the sign of each component (SVD signs are arbitrary): largest |loading| positive.
    signs = np.sign(svd.components_[np.arange(DIM), np.abs(svd.components_).argmax(axis=1)])
    Z = Z * signs
    Z = l2_normalise(Z).astype(np.float32)
    log(f"tf-idf: {X.shape[0]} docs x {X.shape[1]} terms -> SVD {DIM} "
        f"(explained variance {svd.explained_variance_ratio_.sum():.3f}); "
        f"zero rows: {int((np.abs(Z).sum(1) == 0).sum())}")
    return Z


def coengagement_pairs(r, row_of_movie):
    """Unordered (row_a, row_b) pairs of content rows: same user, both label 1, within the window."""
    p = r[r.label == 1].sort_values(["userId", "timestamp", "movieId"])
    u = p.userId.to_numpy()
    t = p.timestamp.to_numpy()
    m = row_of_movie[p.movieId.to_numpy()]
    a_all, b_all = [], []
    for k in range(1, PAIR_NEXT + 1):
        ok = (u[k:] == u[:-k]) & (t[k:] - t[:-k] <= PAIR_WINDOW)
        a_all.append(m[:-k][ok])
        b_all.append(m[k:][ok])
    a = np.concatenate(a_all)
    b = np.concatenate(b_all)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keep = lo != hi
    pairs = np.unique(np.stack([lo[keep], hi[keep]], axis=1), axis=0)
    return pairs


class Projection(nn.Module):
    """x -> normalise(x + MLP(x)): a small residual projection of the tf-idf vectors."""

    def __init__(self, dim=DIM, hidden=128):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, dim))

    def forward(self, x):
        return F.normalize(x + self.net(x), dim=-1)


def pair_auc(emb, pairs, rng):
    """P(cos(a, b) > cos(a, c)) for a co-engaged pair (a, b) and a random item c."""
    a, b = pairs[:, 0], pairs[:, 1]
    c = rng.integers(0, emb.shape[0], size=len(a))
    pos = (emb[a] * emb[b]).sum(1)
    neg = (emb[a] * emb[c]).sum(1)
    return float((pos > neg).mean() + 0.5 * (pos == neg).mean()), float(pos.mean()), float(neg.mean())


def train_alignment(tfidf, pairs, epochs=6, batch=1024, tau=0.2, lr=2e-3):
    seed_everything(SEED)
    proj = Projection()
    opt = torch.optim.Adam(proj.parameters(), lr=lr)
    X = torch.from_numpy(tfidf)
    P = torch.from_numpy(pairs.astype(np.int64))
    gen = torch.Generator().manual_seed(SEED)
    for ep in range(epochs):
        order = torch.randperm(len(P), generator=gen)
        tot, nb = 0.0, 0
        for s in range(0, len(P), batch):
            idx = P[order[s:s + batch]]
            za = proj(X[idx[:, 0]])
            zb = proj(X[idx[:, 1]])
            logits = za @ zb.T / tau
            target = torch.arange(len(idx))
            loss = 0.5 * (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target))
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += float(loss)
            nb += 1
        log(f"  InfoNCE epoch {ep + 1}/{epochs}: loss {tot / nb:.4f}")
    proj.eval()
    with torch.no_grad():
        out = proj(X).numpy().astype(np.float32)
    return out


# --------------------------------------------------------------------------------------------
# Ranker
# --------------------------------------------------------------------------------------------

class Ranker(nn.Module):
    """A small DeepFM-ish ranker: id embeddings + dense features -> MLP 128-64-1, plus an
    FM term <user, item>; sigmoid inside the graph."""

    def __init__(self, n_users, n_items, num_mean, num_std):
        super().__init__()
        self.user_emb = nn.Embedding(n_users + 1, ID_DIM)   # row 0 = unknown user
        self.item_emb = nn.Embedding(n_items + 1, ID_DIM)   # row 0 = unknown item
        nn.init.normal_(self.user_emb.weight, std=0.05)
        nn.init.normal_(self.item_emb.weight, std=0.05)
        self.register_buffer("num_mean", torch.tensor(num_mean, dtype=torch.float32))
        self.register_buffer("num_std", torch.tensor(num_std, dtype=torch.float32))
        d = ID_DIM * 2 + len(GENRES) + DIM * 2 + 2 + 2
        self.mlp = nn.Sequential(
            nn.Linear(d, 128), nn.ReLU(), nn.Dropout(0.1),
            nn.Linear(128, 64), nn.ReLU(),
            nn.Linear(64, 1),
        )

    def logit(self, user_id, item_id, genres, item_content, user_history, numeric):
        u = self.user_emb(user_id)
        i = self.item_emb(item_id)
        num = (numeric - self.num_mean) / self.num_std
        fm = (u * i).sum(-1, keepdim=True)
        ch = (item_content * user_history).sum(-1, keepdim=True)
        x = torch.cat([u, i, genres, item_content, user_history, num, fm, ch], dim=-1)
        return self.mlp(x).squeeze(-1) + fm.squeeze(-1)

    def forward(self, user_id, item_id, genres, item_content, user_history, numeric):
        return torch.sigmoid(self.logit(user_id, item_id, genres, item_content, user_history, numeric))


INPUT_NAMES = ["user_id", "item_id", "genres", "item_content", "user_history", "numeric"]


def model_inputs(df, genres_mat, hist, tfidf, row_of_movie):
    return [
        torch.from_numpy(df.user_idx.to_numpy(np.int64)),
        torch.from_numpy(df.item_idx.to_numpy(np.int64)),
        torch.from_numpy(genres_mat.astype(np.float32)),
        torch.from_numpy(tfidf[row_of_movie[df.movieId.to_numpy()]]),
        torch.from_numpy(hist.astype(np.float32)),
        torch.from_numpy(np.stack([df.item_pop.to_numpy(), df.user_activity.to_numpy()], 1).astype(np.float32)),
    ]


def predict(model, xs, batch=8192):
    model.eval()
    out = []
    with torch.no_grad():
        for s in range(0, len(xs[0]), batch):
            out.append(model(*[x[s:s + batch] for x in xs]))
    return torch.cat(out).numpy().astype(np.float32)


def train_ranker(n_users, n_items, xs_train, y_train, xs_eval, y_eval,
                 epochs=4, batch=512, lr=2e-3, p_user_drop=0.7, p_item_drop=0.1):
    seed_everything(SEED)
    num = xs_train[5].numpy().astype(np.float64)
    model = Ranker(n_users, n_items, num.mean(0).tolist(), (num.std(0) + 1e-6).tolist())
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-6)
    y = torch.from_numpy(y_train.astype(np.float32))
    gen = torch.Generator().manual_seed(SEED)
    n = len(y)
    for ep in range(epochs):
        model.train()
        order = torch.randperm(n, generator=gen)
        tot, nb = 0.0, 0
        for s in range(0, n, batch):
            idx = order[s:s + batch]
            b = [x[idx] for x in xs_train]
            # id dropout: teach the index-0 ("unknown") rows, which cold users / items hit at eval
            # (about 90% of evaluation rows come from users unseen in training, hence the high rate)
            b[0] = torch.where(torch.rand(len(idx), generator=gen) < p_user_drop, torch.zeros_like(b[0]), b[0])
            b[1] = torch.where(torch.rand(len(idx), generator=gen) < p_item_drop, torch.zeros_like(b[1]), b[1])
            loss = F.binary_cross_entropy_with_logits(model.logit(*b), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += float(loss)
            nb += 1
        p = predict(model, xs_eval)
        log(f"  ranker epoch {ep + 1}/{epochs}: train logloss {tot / nb:.4f}, eval AUC {roc_auc_score(y_eval, p):.4f}")
    model.eval()
    return model


def export_onnx(model, xs, path):
    sample = [x[:4] for x in xs]
    torch.onnx.export(
        model, tuple(sample), path,
        input_names=INPUT_NAMES, output_names=["prob"],
        dynamic_axes={**{n: {0: "batch"} for n in INPUT_NAMES}, "prob": {0: "batch"}},
        opset_version=OPSET, do_constant_folding=True,
    )


def check_onnx(path, xs_eval, ref):
    import onnx
    from onnx import numpy_helper
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    names = {e: n for n, e in onnx.TensorProto.DataType.items()}

    def sig(vi):
        tt = vi.type.tensor_type
        dims = [d.dim_param if d.dim_param else d.dim_value for d in tt.shape.dim]
        return f"{vi.name}: {names[tt.elem_type].lower()} {dims}"

    inits = {i.name: i for i in m.graph.initializer}
    for vi in m.graph.input:
        log("  onnx input  " + sig(vi))
    for vi in m.graph.output:
        log("  onnx output " + sig(vi))
    got_in = [vi.name for vi in m.graph.input]
    assert got_in == INPUT_NAMES, got_in
    assert [vi.name for vi in m.graph.output] == ["prob"]
    gathers = [n for n in m.graph.node if n.op_type == "Gather" and n.input[0] in inits
               and len(inits[n.input[0]].dims) == 2
               and inits[n.input[0]].data_type == onnx.TensorProto.FLOAT]
    for g in gathers:
        log(f"  Gather on 2-D float initializer {g.input[0]} {list(inits[g.input[0]].dims)} <- {g.input[1]}")
    assert len(gathers) == 2, "expected two embedding Gathers"
    log(f"  onnx opset {m.opset_import[0].version}, ir_version {m.ir_version}, "
        f"{len(m.graph.node)} nodes, checker OK")
    try:
        import onnxruntime as ort  # noqa: F401
    except ImportError:
        log("  onnxruntime (python) not available: ONNX run check left to build/verify.mjs")
        return
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    feed = {n: x[:512].numpy() for n, x in zip(INPUT_NAMES, xs_eval)}
    out = sess.run(["prob"], feed)[0]
    log(f"  onnxruntime vs torch: max |diff| {np.abs(out - ref[:512]).max():.3g}")


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def write_csv(df, path):
    # %.17g writes every float64 exactly, and float32 values (converted to float64) exactly too,
    # so DuckDB's DOUBLE -> FLOAT cast restores the float32 bits.
    df.to_csv(path, index=False, float_format="%.17g")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.environ.get("MOVIELENS_DIR", "/work/shared/data/movielens-latest-small"))
    ap.add_argument("--out", default=os.path.dirname(here))
    ap.add_argument("--tmp", required=True)
    args = ap.parse_args()
    seed_everything(SEED)
    out, tmp = args.out, args.tmp
    os.makedirs(os.path.join(out, "tables"), exist_ok=True)
    os.makedirs(tmp, exist_ok=True)

    ratings = pd.read_csv(os.path.join(args.data, "ratings.csv"))
    movies = pd.read_csv(os.path.join(args.data, "movies.csv")).sort_values("movieId").reset_index(drop=True)
    tags = pd.read_csv(os.path.join(args.data, "tags.csv"))
    log(f"ratings {len(ratings)}, movies {len(movies)}, tags {len(tags)}")
    ratings["label"] = (ratings.rating >= 4.0).astype(np.int32)

    # ---- time split ------------------------------------------------------------------------
    ts_sorted = np.sort(ratings.timestamp.to_numpy())
    cut = int(ts_sorted[int(round((1.0 - EVAL_FRACTION) * len(ts_sorted)))])
    is_train = ratings.timestamp.to_numpy() < cut
    log(f"cut timestamp {cut} ({pd.to_datetime(cut, unit='s')} UTC): train < cut <= eval")

    # ---- id indices (1..N for ids seen in training, 0 otherwise) ----------------------------
    train_users = np.sort(ratings.userId[is_train].unique())
    train_items = np.sort(ratings.movieId[is_train].unique())
    user_map = pd.Series(np.arange(1, len(train_users) + 1, dtype=np.int64), index=train_users)
    item_map = pd.Series(np.arange(1, len(train_items) + 1, dtype=np.int64), index=train_items)
    ratings["user_idx"] = ratings.userId.map(user_map).fillna(0).astype(np.int64)
    ratings["item_idx"] = ratings.movieId.map(item_map).fillna(0).astype(np.int64)

    # ---- content tables ----------------------------------------------------------------------
    item_ids = movies.movieId.to_numpy(np.int64)
    row_of_movie = np.full(int(item_ids.max()) + 1, -1, dtype=np.int64)
    row_of_movie[item_ids] = np.arange(len(item_ids))
    assert (row_of_movie[ratings.movieId.to_numpy()] >= 0).all()
    train_tags = tags[tags.timestamp < cut]  # no evaluation-period information in the content
    log(f"tags used for content: {len(train_tags)} of {len(tags)} (training period only)")
    tfidf = content_tfidf(movies, train_tags)
    np.save(os.path.join(out, "tables", "item_ids.npy"), item_ids)
    np.save(os.path.join(out, "tables", "content_tfidf.npy"), tfidf)

    tr_pairs = coengagement_pairs(ratings[is_train], row_of_movie)
    ev_pairs = coengagement_pairs(ratings[~is_train], row_of_movie)
    log(f"co-engagement pairs (window {PAIR_WINDOW}s, next {PAIR_NEXT}): train {len(tr_pairs)}, "
        f"eval {len(ev_pairs)} (eval pairs only measure, never train)")
    aligned = train_alignment(tfidf, tr_pairs)
    np.save(os.path.join(out, "tables", "content_aligned.npy"), aligned)
    align_stats = {}
    for name, emb in (("content_tfidf", tfidf), ("content_aligned", aligned)):
        for split, pr in (("train", tr_pairs), ("eval", ev_pairs)):
            auc, pos, neg = pair_auc(emb, pr, np.random.default_rng(SEED))
            align_stats[f"{name}/{split}"] = (auc, pos, neg)
            log(f"  {name:16s} {split:5s} pairs: pair-vs-random AUC {auc:.4f}, "
                f"mean cos pair {pos:.3f} vs random {neg:.3f}")
    pd.DataFrame({"movie_id": item_ids, **{f"v{k}": aligned[:, k] for k in range(DIM)}}) \
        .to_csv(os.path.join(tmp, "content_aligned.csv"), index=False, float_format="%.17g")

    # ---- per-row features --------------------------------------------------------------------
    r = ratings.sort_values(["userId", "timestamp", "movieId"]).reset_index(drop=True)
    n = len(r)
    uid = r.userId.to_numpy()
    ts = r.timestamp.to_numpy()
    new_user = np.r_[True, uid[1:] != uid[:-1]]
    new_group = new_user | np.r_[True, ts[1:] != ts[:-1]]      # (user, timestamp) groups
    idx = np.arange(n)
    user_start = np.maximum.accumulate(np.where(new_user, idx, 0))
    group_start = np.maximum.accumulate(np.where(new_group, idx, 0))
    # ratings of this user strictly before this row's timestamp
    r["user_activity"] = np.log1p((group_start - user_start).astype(np.float64))
    pos = r.label.to_numpy() == 1
    vec = tfidf[row_of_movie[r.movieId.to_numpy()]].astype(np.float64) * pos[:, None]
    csum = np.vstack([np.zeros((1, DIM)), np.cumsum(vec, axis=0)])
    ccnt = np.r_[0, np.cumsum(pos)]
    hsum = csum[group_start] - csum[user_start]
    hcnt = ccnt[group_start] - ccnt[user_start]
    hist = np.where(hcnt[:, None] > 0, hsum / np.maximum(hcnt, 1)[:, None], 0.0).astype(np.float32)
    train_pop = ratings[is_train].movieId.value_counts()
    r["item_pop"] = np.log1p(r.movieId.map(train_pop).fillna(0).to_numpy(np.float64))
    gmat = np.zeros((len(movies), len(GENRES)), dtype=np.float32)
    gpos = {g: k for k, g in enumerate(GENRES)}
    for row, gs in enumerate(movies.genres):
        for g in gs.split("|"):
            gmat[row, gpos[g]] = 1.0
    genres_rows = gmat[row_of_movie[r.movieId.to_numpy()]]

    # ---- splits in time order, then userId, movieId -----------------------------------------
    order = np.lexsort((r.movieId.to_numpy(), uid, ts))
    r = r.iloc[order].reset_index(drop=True)
    hist = hist[order]
    genres_rows = genres_rows[order]
    tr_mask = (r.timestamp < cut).to_numpy()
    ev_mask = ~tr_mask
    tr, ev = r[tr_mask].reset_index(drop=True), r[ev_mask].reset_index(drop=True)
    log(f"train rows {len(tr)} (pos {int(tr.label.sum())}), eval rows {len(ev)} (pos {int(ev.label.sum())}); "
        f"eval rows with unknown user {float((ev.user_idx == 0).mean()):.3f}, "
        f"unknown item {float((ev.item_idx == 0).mean()):.3f}")

    def frame(df, g, h):
        cols = {
            "user_id": df.userId.to_numpy(np.int64), "movie_id": df.movieId.to_numpy(np.int64),
            "user_idx": df.user_idx.to_numpy(np.int64), "item_idx": df.item_idx.to_numpy(np.int64),
            "label": df.label.to_numpy(np.int32), "rating": df.rating.to_numpy(np.float64),
            "timestamp": df.timestamp.to_numpy(np.int64),
        }
        cols.update({f"g{k}": g[:, k].astype(np.int32) for k in range(len(GENRES))})
        cols.update({f"h{k}": h[:, k] for k in range(DIM)})
        cols["item_pop"] = df.item_pop.to_numpy(np.float64)
        cols["user_activity"] = df.user_activity.to_numpy(np.float64)
        return pd.DataFrame(cols)

    write_csv(frame(tr, genres_rows[tr_mask], hist[tr_mask]), os.path.join(tmp, "train.csv"))
    write_csv(frame(ev, genres_rows[ev_mask], hist[ev_mask]), os.path.join(tmp, "eval.csv"))
    inter = r[["userId", "movieId", "label", "timestamp"]].rename(columns={"userId": "user_id", "movieId": "movie_id"})
    inter.to_csv(os.path.join(tmp, "interactions.csv"), index=False)
    log("CSV files written for to_parquet.mjs")

    # ---- ranker --------------------------------------------------------------------------------
    xs_tr = model_inputs(tr, genres_rows[tr_mask], hist[tr_mask], tfidf, row_of_movie)
    xs_ev = model_inputs(ev, genres_rows[ev_mask], hist[ev_mask], tfidf, row_of_movie)
    y_tr, y_ev = tr.label.to_numpy(), ev.label.to_numpy()
    model = train_ranker(len(train_users), len(train_items), xs_tr, y_tr, xs_ev, y_ev)
    p_ev = predict(model, xs_ev)
    auc = float(roc_auc_score(y_ev, p_ev))
    warm = ev.user_idx.to_numpy() > 0
    auc_warm = float(roc_auc_score(y_ev[warm], p_ev[warm]))
    auc_cold = float(roc_auc_score(y_ev[~warm], p_ev[~warm]))
    log(f"torch eval AUC {auc:.4f} (warm users {auc_warm:.4f} on {int(warm.sum())} rows, "
        f"cold users {auc_cold:.4f} on {int((~warm).sum())} rows)")
    p_tr = predict(model, xs_tr)
    log(f"torch train AUC {roc_auc_score(y_tr, p_tr):.4f}")

    onnx_path = os.path.join(out, "model.onnx")
    export_onnx(model, xs_ev, onnx_path)
    check_onnx(onnx_path, xs_ev, p_ev)

    ref = {
        "rows": int(len(ev)),
        "positives": int(y_ev.sum()),
        "auc": auc,
        "first_rows": [float(v) for v in p_ev[:512]],   # exact float32 values as float64
        "train_rows": int(len(tr)),
        "eval_rows": int(len(ev)),
        "cut_timestamp": cut,
        "seed": SEED,
    }
    with open(os.path.join(out, "torch_reference.json"), "w") as f:
        json.dump(ref, f, indent=1)
        f.write("\n")
    with open(os.path.join(tmp, "build_stats.json"), "w") as f:
        json.dump({"auc": auc, "auc_warm_users": auc_warm, "auc_cold_users": auc_cold,
                   "warm_rows": int(warm.sum()), "align": align_stats,
                   "train_pairs": int(len(tr_pairs)), "eval_pairs": int(len(ev_pairs))}, f, indent=1)
    log("done")


if __name__ == "__main__":
    sys.exit(main())
