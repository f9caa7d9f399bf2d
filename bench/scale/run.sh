#!/usr/bin/env bash
# The scale runs of README "Scale": TRAK, one MNIST MLP model trained on the setting's 5,000 rows,
# scoring a synthetic table of N rows (bin/ascribe synth) against M MNIST test queries, on embedded
# Spark with a fixed 2 GB heap, top-K only. One table line per run: stage seconds from the stage
# records, examples/s, the peak RSS of the whole process (/usr/bin/time -v; the heap is touched in
# full at start, -Xms2g -XX:+AlwaysPreTouch, so any growth is native memory) and the largest heap
# occupancy after a garbage collection (the live data, from -Xlog:gc).
#   bench/scale/run.sh OUT_DIR [N:M ...]
#   default runs: 100000:1000 300000:1000 1000000:1000 100000:10000
# Tables, models and run folders go under OUT_DIR and are reused when present (a finished run is
# not rerun: delete its folder to measure it again). Partitions hold ROWS_PER_PARTITION scored rows
# each (featurize holds one partition's input rows), so memory per task does not grow with N.
set -euo pipefail
ASCRIBE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:?usage: bench/scale/run.sh OUT_DIR [N:M ...]}"
shift
RUNS=("$@")
[ ${#RUNS[@]} -gt 0 ] || RUNS=(100000:1000 300000:1000 1000000:1000 100000:10000)
ROWS_PER_PARTITION="${ROWS_PER_PARTITION:-20000}"
export ASCRIBE_HEAP=2g
ASCRIBE="$ASCRIBE_HOME/bin/ascribe"
mkdir -p "$OUT"
# Queries are MNIST test records 0 .. M-1: the λ-validation rows move to the training split.
COMMON=(--conf conf/mnist-mlp.conf --set data.validation.split=train
  --set data.validation.offset=59900 --set data.validation.count=100)

[ -f "$OUT/train/models/m0/model.json" ] \
  || "$ASCRIBE" --quiet train "${COMMON[@]}" --out "$OUT/train" > "$OUT/train.log" 2>&1

seconds() { # stage record -> its "seconds" result (a number, or a map for the score stage)
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]["seconds"]; print(r if isinstance(r,(int,float)) else r[sys.argv[2]])' "$1" "$2"
}

printf '| n scored | m queries | partitions | featurize s | kernel s | score s | featurize ex/s | score (n·m)/s | peak RSS GB | live heap after GC, max MB |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
for run in "${RUNS[@]}"; do
  n="${run%%:*}"
  m="${run##*:}"
  table="$OUT/synth-$n"
  [ -f "$table/_SUCCESS" ] || "$ASCRIBE" --quiet synth --rows "$n" --out "$table" \
    > "$OUT/synth-$n.log" 2>&1
  # An even count: two task slots on the 2-core machine stay busy to the last wave.
  parts=$(( 2 * ((n + 2 * ROWS_PER_PARTITION - 1) / (2 * ROWS_PER_PARTITION)) ))
  dir="$OUT/run-$n-$m"
  if [ ! -f "$dir/scores/_ascribe.json" ]; then
    ASCRIBE_JAVA_OPTS="-Xms2g -XX:+AlwaysPreTouch -Xlog:gc:file=$dir.gc.log" \
      /usr/bin/time -v -o "$dir.time" "$ASCRIBE" --quiet attribute "${COMMON[@]}" --out "$dir" \
      --set models.dir="$OUT/train/models" --set data.scored.path="$table" \
      --set data.queries.count="$m" --set partitions="$parts" --set scores.full=false \
      > "$dir.log" 2>&1
  fi
  f=$(seconds "$dir/features/_ascribe.json" featurize)
  k=$(seconds "$dir/kernel/_ascribe.json" kernel)
  s=$(seconds "$dir/scores/_ascribe.json" score)
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.2f", $2 / 1048576}' "$dir.time")
  # "Pause Young (Normal) (G1 Evacuation Pause) 1024M->312M(2048M)": the occupancy after.
  live=$( { grep -o -- '->[0-9]*M' "$dir.gc.log" || echo '->0M'; } | tr -dc '0-9\n' | sort -n | tail -1)
  python3 -c 'import sys; n,m,p,f,k,s,r,l=sys.argv[1:]; n=int(n); m=int(m); f=float(f); k=float(k); s=float(s)
print(f"| {n:,} | {m:,} | {p} | {f:.1f} | {k:.1f} | {s:.1f} | {n/f:,.0f} | {n*m/s:,.0f} | {r} | {l} |")' \
    "$n" "$m" "$parts" "$f" "$k" "$s" "$rss" "$live"
done
