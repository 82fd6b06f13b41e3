#!/bin/bash
# Runs the national flight deck with two binaries in turn, three times each: on a shared
# machine whose speed drifts through the day, the fair comparison of two builds.
#
# usage: benches/in_turn.sh OLD_BIN NEW_BIN [DATA_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
old=$1
new=$2
data=${3:-/tmp/national}
if [ ! -e "$data/events.parquet" ] && [ ! -d "$data/events" ]; then
  "$new" generate --forces all --start 2014-04 --months 120 --seed 1 --out "$data"
fi
export SOTERIA_CACHE=${SOTERIA_CACHE:-$(mktemp -d)/cache}
out=$(mktemp -d)
. "$here/benches/timing.sh"
# Each binary validates once first, so every timed run reads its own validated copies.
"$old" validate --data "$data" >/dev/null 2>&1 || true
"$new" validate --data "$data" >/dev/null 2>&1
for i in 1 2 3; do
  t "full flight deck, $old (run $i)" "$old" flightdeck --data "$data" --format parquet --out "$out/old.parquet"
  t "full flight deck, $new (run $i)" "$new" flightdeck --data "$data" --format parquet --out "$out/new.parquet"
done
cmp -s "$out/old.parquet" "$out/new.parquet" && echo "the two decks are byte-identical" || echo "the two decks differ"
rm -rf "$out"
