#!/usr/bin/env bash
# Runs every bad-input case of issue 20 and of the README's input sections through bin/ascribe, as
# a new user would, and prints one table row per case: the exit status, the seconds it took, the
# first line of the message, and whether any folder was left with _SUCCESS.
#   bench/probes/bad-inputs.sh [WORK_DIR]   (default: a fresh temporary folder; about 5 minutes)
# Exit statuses (README, "Exit status"): 0 done, 1 failure, 2 bad input, 3 run folder in use.
set -uo pipefail
ASCRIBE_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=../../bin/lib/ascribe-jars.sh
. "$ASCRIBE_HOME/bin/lib/ascribe-jars.sh"
ascribe_ensure_jars
W="${1:-$(mktemp -d)}"
mkdir -p "$W"
ASCRIBE="$ASCRIBE_HOME/bin/ascribe"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# A small MNIST-LR run: every case below differs from it in one thing.
SMALL=(--conf conf/mnist-lr.conf --set data.train.count=200 --set data.queries.count=10
  --set train.epochs=1 --set train.checkpoints=[] --set models=1 --set projection.dim=32)

# The bad Parquet tables (ProbeTables.java) and models trained once to reuse.
CP="$ASCRIBE_CORE_JAR:$ASCRIBE_UDF_JAR:$ASCRIBE_JOBS_JAR:$(cat "$ASCRIBE_JOBS_TARGET/classpath.txt")"
# shellcheck disable=SC2046
java $(ascribe_jvm_flags) -Dlog4j2.configurationFile="$ASCRIBE_HOME/conf/log4j2.properties" \
  -Dascribe.log.file="$W/tables.log" -cp "$CP" "$ASCRIBE_HOME/bench/probes/ProbeTables.java" \
  "$W/tables" >/dev/null 2>&1 || { echo "ProbeTables failed: see $W/tables.log" >&2; exit 1; }
(cd "$ASCRIBE_HOME" && "$ASCRIBE" train "${SMALL[@]}" --out "$W/trained") >/dev/null 2>&1
# A data root whose MNIST training images are cut in half (SHA256SUMS kept).
DATA="${ASCRIBE_DATA_DIR:-$ASCRIBE_HOME/../shared/data}"
mkdir -p "$W/data/mnist"
cp "$DATA/SHA256SUMS" "$W/data/"
cp "$DATA"/mnist/* "$W/data/mnist/"
chmod u+w "$W/data/mnist"/*
f="$W/data/mnist/train-images-idx3-ubyte.gz"
truncate -s $(( $(stat -c %s "$f") / 2 )) "$f"
touch "$W/file"

printf '| case | exit | seconds | first line of the message | left with _SUCCESS |\n|---|---|---|---|---|\n'
# probe NAME COMMAND ARGS...: runs bin/ascribe with a fresh --out W/NAME unless ARGS name one.
probe() {
  local name="$1"; shift
  local out="$W/runs/$name" args=("$@") start end status first done_
  [[ " ${args[*]} " == *" --out "* || -n "${NO_OUT:-}" ]] || args+=(--out "$out")
  start=$(date +%s.%N)
  (cd "$ASCRIBE_HOME" && ASCRIBE_LOG="$W/logs/$name.log" "$ASCRIBE" "${args[@]}") \
    >"$W/$name.stdout" 2>"$W/$name.stderr"
  status=$?
  end=$(date +%s.%N)
  first="$(grep -v -E '^[0-9]{2}:[0-9]{2}:[0-9]{2} (INFO|WARN) ' "$W/$name.stderr" | head -1)"
  done_="$(find "$W/runs/$name" -name _SUCCESS -printf '%h\n' 2>/dev/null \
    | sed "s|$W/runs/$name/||" | sort | tr '\n' ' ')"
  printf '| %s | %s | %.1f | %s | %s |\n' "$name" "$status" "$(echo "$end - $start" | bc)" \
    "${first//|/\\|}" "${done_:-no}"
}
mkdir -p "$W/logs"
T="$W/tables"
probe unknown-key train "${SMALL[@]}" --set train.epoch=3
probe bad-set-value train "${SMALL[@]}" --set train.epochs=many
probe no-conf-file train --conf conf/nope.conf
probe unknown-method attribute "${SMALL[@]}" --set method=magic
probe negative-lambda attribute "${SMALL[@]}" --set lambda=-1
probe huge-projection attribute "${SMALL[@]}" --set projection.dim=10000000
NO_OUT=1 probe no-out attribute "${SMALL[@]}"
probe empty-out attribute "${SMALL[@]}" --out ""
probe out-under-a-file attribute "${SMALL[@]}" --out "$W/file/run"
probe out-in-proc attribute "${SMALL[@]}" --out /proc/ascribe-out
probe no-data-root train "${SMALL[@]}" --data "$W/nowhere"
probe data-cut-in-half train "${SMALL[@]}" --data "$W/data"
probe models-other-arch attribute "${SMALL[@]}" --set "models.dir=$W/trained/models" \
  --set model.kind=mlp --set model.hidden=[8]
probe train-nan attribute "${SMALL[@]}" --set "data.train.path=$T/nan"
probe scored-nan attribute "${SMALL[@]}" --set "data.scored.path=$T/nan"
probe scored-infinity attribute "${SMALL[@]}" --set "data.scored.path=$T/inf"
probe scored-label-as-string attribute "${SMALL[@]}" --set "data.scored.path=$T/label-string"
probe scored-no-label-column attribute "${SMALL[@]}" --set "data.scored.path=$T/no-label"
probe scored-label-12 attribute "${SMALL[@]}" --set "data.scored.path=$T/label-12"
probe scored-duplicate-id attribute "${SMALL[@]}" --set "data.scored.path=$T/duplicate-id"
probe scored-short-row attribute "${SMALL[@]}" --set "data.scored.path=$T/short-row"
probe scored-null-features attribute "${SMALL[@]}" --set "data.scored.path=$T/null-features"
probe scored-empty attribute "${SMALL[@]}" --set "data.scored.path=$T/empty"
probe scored-not-parquet attribute "${SMALL[@]}" --set "data.scored.path=$T/not-parquet"
probe scored-no-success attribute "${SMALL[@]}" --set "data.scored.path=$T/no-success"
probe scored-missing-table attribute "${SMALL[@]}" --set "data.scored.path=$T/absent"
# Two runs into one folder, the second started 4 s after the first.
(cd "$ASCRIBE_HOME" && ASCRIBE_LOG="$W/logs/first.log" "$ASCRIBE" attribute "${SMALL[@]}" \
  --out "$W/runs/second-run-same-out") >/dev/null 2>&1 &
first_pid=$!
sleep 4
probe second-run-same-out attribute "${SMALL[@]}" --out "$W/runs/second-run-same-out"
wait "$first_pid"
echo
echo "first run into second-run-same-out exited with $?; work folder $W"
