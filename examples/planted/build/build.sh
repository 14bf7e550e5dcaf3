#!/usr/bin/env bash
# Regenerates examples/planted/ from its seed and cross-checks it with onnxruntime-node and DuckDB.
# Works from any cwd. Needs Debian's python (/usr/bin/python3: torch, onnx, sklearn, numpy, pandas) and node.
#   build.sh                   regenerate the shipped workspace (seed in make_planted.py) + checks
#   build.sh --check-seeds     also regenerate 3 other worlds in temp dirs and check the robust orderings
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY=/usr/bin/python3
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0

"$PY" "$HERE/make_planted.py" --out "$(dirname "$HERE")"
node "$HERE/check_onnx.mjs" "$(dirname "$HERE")"

if [[ "${1:-}" == "--check-seeds" ]]; then
  "$PY" "$HERE/make_planted.py" --check-seeds 1,2,4
fi
