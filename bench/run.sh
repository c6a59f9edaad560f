#!/usr/bin/env bash
# Builds the benchmark harness if needed and runs it from the repository root.
# Relative paths given to it (--jar, --work-dir, --data-dir, --launcher) are relative to the repository root.
#   bench/run.sh --rows 1000000 --history-rows 1000000              MySQL/MariaDB at 127.0.0.1:3306
#   bench/run.sh --postgres --rows 1000000 --history-rows 1000000   PostgreSQL at 127.0.0.1:5432
#   bench/run.sh --rows 1M --baselines-only
# Environment: SAFEIMPORT_BENCH_URL (the server, e.g. jdbc:postgresql://127.0.0.1:5432/; --postgres and --url win over it),
# BENCH_JAVA_OPTS (JVM options of the harness itself), SAFEIMPORT_DB_PASSWORD (if the server needs one),
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
url=${SAFEIMPORT_BENCH_URL:-jdbc:mysql://127.0.0.1:3306/}
args=()
for a in "$@"; do
  if [ "$a" = --postgres ]; then
    url=jdbc:postgresql://127.0.0.1:5432/
  else
    args+=("$a")
  fi
done
if [ ${#args[@]} -eq 0 ]; then
  args=(--rows 1000000 --history-rows 1000000)
fi
exec java ${BENCH_JAVA_OPTS:-} -jar "$jar" --url "$url" "${args[@]}"
