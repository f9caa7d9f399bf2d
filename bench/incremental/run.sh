#!/usr/bin/env bash
# Issue 18's benchmark (README "Scheduled runs"): TRAK on the README's MNIST-MLP setting (models
# trained on the setting's 5,000 rows, 500 test queries, projection sjlt 512, full scores), scoring
# the 60,000 MNIST training images as a table of 10 partitions day=00 .. day=09 of 6,000 rows.
#   1. "grown": an incremental run on day=00 .. day=08 (54,000 rows), then day=09 is appended and
#      the same run folder runs again: that second run is THE INCREMENT (10% of the final rows).
#   2. "scratch": an incremental run from scratch on the final 10-partition table: THE FULL RUN.
#   3. "plain": the same 60,000 rows without attribute.incremental (data.scored.count=60000), for
#      reference.
# Each run is one bin/ascribe process (embedded Spark on every core); wall seconds include the JVM
# and Spark start, the stages' seconds (featurize + kernel + score) do not. The ratios compare the
# increment with both full runs, by wall and by stages. Writes OUT_DIR/results.json;
# bench/incremental/results*.json are committed copies.
# SCORES_FULL=false runs all of it with top-K only (scores.full=false).
#   [SCORES_FULL=false] bench/incremental/run.sh OUT_DIR
set -euo pipefail
ASCRIBE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:?usage: bench/incremental/run.sh OUT_DIR}"
ASCRIBE="$ASCRIBE_HOME/bin/ascribe"
SCORES_FULL="${SCORES_FULL:-auto}"
COMMON=(--conf conf/mnist-mlp.conf --set scores.full="$SCORES_FULL")
mkdir -p "$OUT"

[ -f "$OUT/train/models/m0/model.json" ] \
  || "$ASCRIBE" --quiet train "${COMMON[@]}" --out "$OUT/train" > "$OUT/train.log" 2>&1
# The 60,000 training images exactly (noise 0, record id mod 60,000 = id), one file per 6,000
# consecutive ids.
[ -f "$OUT/all/_SUCCESS" ] || "$ASCRIBE" --quiet synth --rows 60000 --noise 0 --base 60000 \
  --partitions 10 --out "$OUT/all" > "$OUT/synth.log" 2>&1
table="$OUT/lake/table"
rm -rf "$OUT/lake" "$OUT/grown" "$OUT/scratch" "$OUT/plain" "$OUT"/{grown,scratch,plain}.log
files=("$OUT"/all/part-*.parquet)
for i in $(seq 0 8); do
  mkdir -p "$table/day=0$i"
  cp "${files[$i]}" "$table/day=0$i/"
done

run() { # name, extra options...; prints the wall seconds
  local name="$1"
  shift
  local start end
  start=$(date +%s.%N)
  "$ASCRIBE" --quiet attribute "${COMMON[@]}" --out "$OUT/$name" \
    --set models.dir="$OUT/train/models" "$@" >> "$OUT/$name.log" 2>&1
  end=$(date +%s.%N)
  python3 -c 'import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 1))' "$start" "$end"
}
stages() { # run folder -> {"featurize": s, "kernel": s, "score": s} from its stage records
  python3 - "$1" <<'PY'
import json, sys
d = sys.argv[1]
f = json.load(open(d + "/features/_ascribe.json"))["results"]["seconds"]
k = json.load(open(d + "/kernel/_ascribe.json"))["results"]["seconds"]
s = json.load(open(d + "/scores/_ascribe.json"))["results"]["seconds"]["score"]
print(json.dumps({"featurize": round(f, 1), "kernel": round(k, 1), "score": round(s, 1)}))
PY
}
INCR=(--set data.scored.path="$table" --set attribute.incremental=true)

first=$(run grown "${INCR[@]}")
first_stages=$(stages "$OUT/grown")
mkdir -p "$table/day=09"
cp "${files[9]}" "$table/day=09/"
increment=$(run grown "${INCR[@]}")
increment_stages=$(stages "$OUT/grown")
full=$(run scratch "${INCR[@]}")
full_stages=$(stages "$OUT/scratch")
plain=$(run plain --set data.scored.count=60000)
plain_stages=$(stages "$OUT/plain")
"$ASCRIBE" --quiet compare "${COMMON[@]}" --out "$OUT/grown" --with "$OUT/scratch" \
  > "$OUT/compare.txt" 2>&1 || true

python3 - "$OUT/results.json" "$first" "$first_stages" "$increment" "$increment_stages" \
  "$full" "$full_stages" "$plain" "$plain_stages" "$OUT/compare.txt" "$(nproc)" "$SCORES_FULL" <<'PY'
import json, sys
out, fw, fs, iw, is_, uw, us, pw, ps, compare, cores, full_scores = sys.argv[1:]
work = lambda stages: sum(json.loads(stages).values())
r = {
  "setting": "mnist-mlp, trak, projection sjlt 512, 500 queries, scores.full=" + full_scores,
  "cores": int(cores),
  "first_54000_rows": {"wall_s": float(fw), "stages_s": json.loads(fs)},
  "increment_6000_rows": {"wall_s": float(iw), "stages_s": json.loads(is_)},
  "full_60000_rows": {"wall_s": float(uw), "stages_s": json.loads(us)},
  "plain_60000_rows_not_incremental": {"wall_s": float(pw), "stages_s": json.loads(ps)},
  "increment_over_full_wall": round(float(iw) / float(uw), 3),
  "increment_over_plain_wall": round(float(iw) / float(pw), 3),
  # The stages' own seconds, without the JVM, Spark and engine start every process pays.
  "increment_over_full_stages": round(work(is_) / work(us), 3),
  "increment_over_plain_stages": round(work(is_) / work(ps), 3),
  "compare_increment_with_full": open(compare).read().strip().splitlines(),
}
json.dump(r, open(out, "w"), indent=2)
print(json.dumps(r, indent=2))
PY
