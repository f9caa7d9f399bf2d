# shellcheck shell=bash
# Sourced by bin/ascribe, bin/spark-cluster and bin/ascribe-submit (which set ASCRIBE_HOME first):
# where the Ascribe jars, the runtime classpath and the one JVM flag list are, building them when
# they are missing or older than the sources, and the Spark home a standalone cluster runs from.
#   ASCRIBE_NO_BUILD=1   fail instead of building (the integration test sets it: Maven just built)

ASCRIBE_VERSION=0.1.0-SNAPSHOT
ASCRIBE_JOBS_TARGET="$ASCRIBE_HOME/jobs/target"
ASCRIBE_CORE_JAR="$ASCRIBE_HOME/core/target/ascribe-core-$ASCRIBE_VERSION.jar"
ASCRIBE_UDF_JAR="$ASCRIBE_HOME/udf/target/ascribe-udf-$ASCRIBE_VERSION.jar"
ASCRIBE_JOBS_JAR="$ASCRIBE_JOBS_TARGET/ascribe-jobs-$ASCRIBE_VERSION.jar"
ASCRIBE_MAIN_CLASS=dev.ascribe.jobs.cli.Main
# The Spark home of bin/spark-cluster and bin/ascribe-submit: jars/ holds links to every runtime jar.
ASCRIBE_SPARK_HOME="$ASCRIBE_HOME/target/spark-home"

ascribe_die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# True if a jar, classpath.txt or jvm.options is missing, or a source or pom is newer than the jobs jar.
ascribe_jars_stale() {
  local f
  for f in "$ASCRIBE_CORE_JAR" "$ASCRIBE_UDF_JAR" "$ASCRIBE_JOBS_JAR" \
      "$ASCRIBE_JOBS_TARGET/classpath.txt" "$ASCRIBE_JOBS_TARGET/jvm.options"; do
    [ -f "$f" ] || return 0
  done
  [ -n "$(find "$ASCRIBE_HOME"/{core,udf,jobs}/src/main "$ASCRIBE_HOME"/*/pom.xml \
      "$ASCRIBE_HOME/pom.xml" -newer "$ASCRIBE_JOBS_JAR" -type f -print -quit 2>/dev/null)" ]
}

# Builds the jars (one Maven package) if they are stale, unless ASCRIBE_NO_BUILD=1.
ascribe_ensure_jars() {
  ascribe_jars_stale || return 0
  if [ "${ASCRIBE_NO_BUILD:-0}" = 1 ]; then
    ascribe_die "the jars in */target are missing or older than the sources, and ASCRIBE_NO_BUILD=1:" \
      "run 'mvn -B -DskipTests package' in $ASCRIBE_HOME first"
  fi
  echo "$(basename "$0"): building jars (mvn -q -B -DskipTests package)..." >&2
  (cd "$ASCRIBE_HOME" && mvn -q -B -DskipTests package) >&2
}

# The native environment of every Ascribe JVM, exported here and passed to Spark executors
# (README, "Memory budget"): one OpenMP/PyTorch thread per task (parallelism comes from tasks), and
# at most two glibc malloc arenas. Every HVP or featurizer call runs on short-lived threads whose
# libtorch buffers (megabytes each) otherwise land in up to 8 arenas per core, 64 MB heaps that
# stay mapped: 1.3 GB of RSS in the MNIST-MLP IF-CG row. A value already set is kept.
ASCRIBE_NATIVE_ENV=(OMP_NUM_THREADS MALLOC_ARENA_MAX)
ascribe_native_env() {
  export OMP_NUM_THREADS=1 MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
}

# The spark.executorEnv.NAME=VALUE settings that carry ascribe_native_env to executors, one a
# line (call after ascribe_native_env).
ascribe_executor_env() {
  local v
  for v in "${ASCRIBE_NATIVE_ENV[@]}"; do
    printf 'spark.executorEnv.%s=%s\n' "$v" "${!v}"
  done
}

# The run's full log (conf/log4j2.properties): Ascribe's lines and Spark's and the libraries'
# warnings with stack traces; the console shows Ascribe's lines only. ASCRIBE_LOG names the file.
ascribe_log_file() {
  if [ -n "${ASCRIBE_LOG:-}" ]; then
    echo "$ASCRIBE_LOG"
    return
  fi
  local dir="${TMPDIR:-/tmp}/ascribe-logs-$(id -u)"
  mkdir -p "$dir"
  echo "$dir/ascribe-$(date -u +%Y%m%dT%H%M%SZ)-$$.log"
}

# Filters stderr lines that are not Ascribe's and that no setting can silence: the JVM's notice
# that Spark's vector module is an incubator module, and libtorch's deprecation warning about
# AutoNonVariableTypeMode (raised inside DJL's native code, printed straight to stderr).
ascribe_quiet_stderr() {
  grep --line-buffered -v -E \
    -e '^WARNING: Using incubator modules: jdk\.incubator\.vector$' \
    -e '^\[W[0-9. :]+LegacyTypeDispatch\.h:[0-9]+\] Warning: AutoNonVariableTypeMode is deprecated' \
    || true
}

# The one JVM flag list (the parent pom's ascribe.jvm.flags), on one line.
ascribe_jvm_flags() {
  tr '\n' ' ' < "$ASCRIBE_JOBS_TARGET/jvm.options" | sed 's/ *$//'
}

# Fills $ASCRIBE_SPARK_HOME/jars with symbolic links to the runtime classpath and the three Ascribe
# jars (links, so a rebuilt jar is picked up by the next JVM without copying 500 MB). Redone only
# when the classpath changed; a running cluster keeps working meanwhile.
ascribe_spark_home() {
  local jars="$ASCRIBE_SPARK_HOME/jars" stamp="$ASCRIBE_SPARK_HOME/classpath.txt" want
  want="$(tr ':' '\n' < "$ASCRIBE_JOBS_TARGET/classpath.txt" | grep -v '/ascribe-[a-z]*-[^/]*\.jar$' || true)"
  want="$(printf '%s\n%s\n%s\n%s\n' "$want" "$ASCRIBE_CORE_JAR" "$ASCRIBE_UDF_JAR" "$ASCRIBE_JOBS_JAR")"
  if [ -d "$jars" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  local tmp="$ASCRIBE_SPARK_HOME/jars.tmp.$$" jar
  rm -rf "$tmp"
  mkdir -p "$tmp"
  while IFS= read -r jar; do
    [ -n "$jar" ] || continue
    [ -f "$jar" ] || ascribe_die "runtime jar $jar (from jobs/target/classpath.txt) does not exist:" \
      "rebuild with 'mvn -B -DskipTests package'"
    [ ! -e "$tmp/$(basename "$jar")" ] || ascribe_die "two runtime jars are named $(basename "$jar")"
    ln -s "$jar" "$tmp/"
  done <<< "$want"
  rm -rf "$jars"
  mv "$tmp" "$jars"
  printf '%s' "$want" > "$stamp"
}
