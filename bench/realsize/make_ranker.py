#!/usr/bin/python3
"""A DLRM / DCN-sized ranker and its evaluation rows, for RecLens's real-size bench (not committed; not in CI).

26 categorical fields, each a 64-d embedding table (six of them 100,000 rows, the others Criteo-like sizes), 13 dense
features, and an MLP of 512-256-1 over the concatenation (13 + 26 x 64 = 1,677 values per row). Weights are seeded
random (this measures speed, not quality); labels are drawn from the model's own probabilities, so AUC is well
above 0.5. Writes <out>/model.onnx, <out>/data.csv (converted to Parquet by bench/realsize.mjs) and reclens.json.

Needs Debian's python3-torch and python3-onnx:  apt-get install python3-torch python3-onnx
Usage: /usr/bin/python3 bench/realsize/make_ranker.py <out-dir> [rows] [seed]
"""
import json
import os
import sys

import numpy as np
import torch

TABLE_ROWS = [1460, 583, 100000, 100000, 305, 24, 12517, 633, 3, 93145, 5683, 100000, 3194, 27, 14992, 100000,
              10, 5652, 2173, 4, 100000, 18, 15, 100000, 105, 60000]
DIM = 64
DENSE = 13


class Ranker(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.tables = torch.nn.ModuleList(torch.nn.Embedding(n, DIM) for n in TABLE_ROWS)
        for t in self.tables:
            torch.nn.init.normal_(t.weight, std=0.3)
        self.mlp = torch.nn.Sequential(
            torch.nn.Linear(DENSE + DIM * len(TABLE_ROWS), 512), torch.nn.ReLU(),
            torch.nn.Linear(512, 256), torch.nn.ReLU(),
            torch.nn.Linear(256, 1))

    def forward(self, dense, *cats):
        x = torch.cat([dense] + [t(c) for t, c in zip(self.tables, cats)], dim=1)
        return self.mlp(x).squeeze(1)


def main():
    out = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = Ranker().eval()
    names = [f"c{i}" for i in range(len(TABLE_ROWS))]
    dense = rng.standard_normal((rows, DENSE)).astype(np.float32)
    # Zipf-like ids: a few values take most rows, as in click logs.
    cats = [np.minimum((rng.pareto(1.2, rows) * n / 50).astype(np.int64), n - 1) for n in TABLE_ROWS]
    logits = np.empty(rows, dtype=np.float32)
    with torch.no_grad():
        for s in range(0, rows, 65536):
            e = min(rows, s + 65536)
            logits[s:e] = model(torch.from_numpy(dense[s:e]), *[torch.from_numpy(c[s:e]) for c in cats]).numpy()
    # Centre and scale the logits so labels are neither all 0 nor all 1.
    z = (logits - logits.mean()) / (logits.std() + 1e-9) * 1.5 - 1.0
    labels = (rng.random(rows) < 1 / (1 + np.exp(-z))).astype(np.int64)
    with torch.no_grad():
        model.mlp[-1].weight.mul_(1.5 / (float(logits.std()) + 1e-9))
        model.mlp[-1].bias.copy_((model.mlp[-1].bias - float(logits.mean())) * 1.5 / (float(logits.std()) + 1e-9) - 1.0)
    example = (torch.from_numpy(dense[:2]), *[torch.from_numpy(c[:2]) for c in cats])
    tmp = os.path.join(out, "model.onnx.tmp")
    torch.onnx.export(model, example, tmp, input_names=["dense"] + names, output_names=["logit"],
                      dynamic_axes={n: {0: "batch"} for n in ["dense", "logit"] + names}, opset_version=13)
    os.replace(tmp, os.path.join(out, "model.onnx"))
    header = ",".join([f"d{j}" for j in range(DENSE)] + names + ["user", "label"])
    users = rng.integers(0, max(1, rows // 100), rows)  # ~100 rows per user, for GAUC and the group bootstrap
    table = np.column_stack([dense.astype(np.float64)] + [c.astype(np.float64) for c in cats] + [users, labels])
    fmt = ["%.6g"] * DENSE + ["%d"] * (len(names) + 2)
    tmp = os.path.join(out, "data.csv.tmp")
    np.savetxt(tmp, table, fmt=fmt, delimiter=",", header=header, comments="")
    os.replace(tmp, os.path.join(out, "data.csv"))
    # Batches of 2048 rows: at 8192 the 8192 x 1677 concatenation (55 MB) and the 512-wide layer spill out of the
    # caches, and bare onnxruntime needs ~1.8 x the CPU per row (docs/performance.md, round 5).
    config = {
        "name": f"DLRM-sized ranker (26 x 64-d embeddings, 13 dense, MLP 512-256-1), {rows} rows, seed {seed}",
        "model": {"path": "model.onnx", "output": "logit", "outputKind": "logit"},
        "data": {"path": "data.parquet", "label": "label", "group": "user"},
        "inputs": {"dense": {"columns": [f"d{j}" for j in range(DENSE)]}, **{n: {"column": n} for n in names}},
        "runtime": {"executionProviders": ["cpu"], "batchSize": 2048},
    }
    with open(os.path.join(out, "reclens.json"), "w") as f:
        json.dump(config, f, indent=2)
    print(json.dumps({"rows": rows, "seed": seed, "positives": int(labels.sum()), "embeddingRows": sum(TABLE_ROWS)}))


if __name__ == "__main__":
    main()
