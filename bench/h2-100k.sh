#!/usr/bin/env bash
# The embedded H2 default on 100,000 users through the launcher with JAVA_OPTS=-Xmx256m: the steps of bench scenarios 1-4
# (fresh import, dry-run of a 10%-changed file, its re-import, rollback of that), timed one by one.
#   mvn -q -B install -DskipTests && mvn -q -B -f bench/pom.xml package && bench/h2-100k.sh [ROWS]
# Works in bench/target/h2-<ROWS>/ (deleted and recreated); prints one line per step and the size of
# the database folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-100k}
work="$root/bench/target/h2-$rows"
gen=(java -cp "$root/bench/target/safeimport-bench.jar" io.safeimport.bench.DataGenerator)
cli=(env JAVA_OPTS=-Xmx256m "$root/safeimport")
"${cli[@]}" --version >/dev/null # a launcher that finds its jar stale builds it now, untimed
rm -rf "$work"
mkdir -p "$work"
cd "$work"
"${gen[@]}" --out-dir gen --users "$rows" >/dev/null
"${gen[@]}" --from gen/users.csv --changed-percent 10 --out gen/users_changed.csv >/dev/null
"${cli[@]}" db migrate >/dev/null
"${cli[@]}" import ladders --csv gen/ladders.csv >/dev/null
"${cli[@]}" import org --csv gen/organizations.csv >/dev/null
for f in chapters tribes teams; do
  "${cli[@]}" import org --csv "gen/$f.csv" --create-users >/dev/null 2>&1
done
step() {
  local label=$1
  shift
  local start end
  start=$(date +%s%N)
  "$@" >last.json 2>/dev/null
  end=$(date +%s%N)
  printf '%-28s %6.1f s\n' "$label" "$(((end - start) / 1000000))e-3"
}
step "fresh import $rows users" "${cli[@]}" import users --csv gen/users.csv --output json
step "dry-run, 10% changed" "${cli[@]}" import users --csv gen/users_changed.csv --dry-run --output json
step "re-import, 10% changed" "${cli[@]}" import users --csv gen/users_changed.csv --output json
snapshot=$(sed -n 's/^ *"snapshot_id" : "\(.*\)",*$/\1/p' last.json)
step "rollback of the re-import" "${cli[@]}" rollback "$snapshot" --yes --output json
du -sh data | sed 's/\t/ database folder /'
