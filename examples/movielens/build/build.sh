#!/usr/bin/env bash
# Rebuild the MovieLens example workspace from the raw MovieLens latest-small files.
#
#   bash examples/movielens/build/build.sh            (from any directory)
#
# Environment: MOVIELENS_DIR (default /work/shared/data/movielens-latest-small),
#              PYTHON (default /usr/bin/python3: needs torch, onnx, scikit-learn, numpy, pandas),
#              NODE (default node; @duckdb/node-api and onnxruntime-node from the repo's node_modules).
# Seeded and single-threaded: two runs give byte-identical files.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$(dirname "$HERE")"
DATA="${MOVIELENS_DIR:-/work/shared/data/movielens-latest-small}"
PYTHON="${PYTHON:-/usr/bin/python3}"
NODE="${NODE:-node}"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0

TMP="$(mktemp -d "${TMPDIR:-/tmp}/reclens-movielens.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "== 1/3 features, content tables, ranker, ONNX export (python)"
"$PYTHON" "$HERE/make_example.py" --data "$DATA" --out "$OUT" --tmp "$TMP"
echo "== 2/3 Parquet files (DuckDB)"
"$NODE" "$HERE/to_parquet.mjs" "$TMP" "$OUT"
echo "== 2b item metadata for embedding views (DuckDB)"
"$NODE" "$HERE/items.mjs" "$DATA/movies.csv" "$OUT"
echo "== 3/3 checks (DuckDB + onnxruntime-node)"
"$NODE" "$HERE/verify.mjs" "$OUT"
echo "== done: $OUT"
