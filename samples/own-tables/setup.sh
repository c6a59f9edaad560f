#!/usr/bin/env bash
# Creates the example application's own tables (schema.sql) in the embedded database under
# ./data, as the application would have them before safeimport is used. Run it from the
# repository root: samples/own-tables/setup.sh. Running it again changes nothing.
set -euo pipefail
root=$(CDPATH='' cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cd -- "$root"
./safeimport --version >/dev/null   # builds the jar on first use
umask 077                           # the database file is the operator's only, as safeimport makes it
java -cp importer-cli/target/safeimport.jar org.h2.tools.RunScript \
    -url "jdbc:h2:file:./data/safeimport;MODE=MySQL;DATABASE_TO_LOWER=TRUE" -user "" -password "" \
    -script samples/own-tables/schema.sql
echo "created crm_team and crm_person in ./data/safeimport (the embedded database)"
