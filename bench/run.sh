#!/usr/bin/env bash
# Builds the benchmark harness if needed and runs it from the repository root.
# Relative paths given to it (--jar, --work-dir, --data-dir, --launcher) are relative to the repository root.
#   bench/run.sh --rows 1000000 --history-rows 1000000
#   bench/run.sh --rows 1M --baselines-only
# Environment: BENCH_JAVA_OPTS (JVM options of the harness itself), SAFEIMPORT_DB_PASSWORD (if the server needs one),
# BENCH_REBUILD=1 to rebuild the harness jar.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
cd "$root"
jar="$here/target/safeimport-bench.jar"
if [ ! -f "$jar" ] || [ "${BENCH_REBUILD:-0}" = 1 ]; then
  echo "bench: building the harness (mvn -f bench/pom.xml package)" >&2
  mvn -q -B install -N -DskipTests >&2
  mvn -q -B -f bench/pom.xml package -DskipTests >&2
fi
args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(--rows 1000000 --history-rows 1000000)
fi
exec java ${BENCH_JAVA_OPTS:-} -jar "$jar" --mysql-url "${SAFEIMPORT_BENCH_URL:-jdbc:mysql://127.0.0.1:3306/}" "${args[@]}"
