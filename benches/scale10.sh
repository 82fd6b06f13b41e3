#!/bin/bash
# Times the flight deck on the national ten-year dataset at ten times today's volume
# (`--scale 10`: about 20 M offences and 200 M events, 1 GB of Parquet), the README's
# scale-10 rows: a first run (every table validated, the large ones a slice at a time,
# into an empty folder of validated copies) and a later run (read from the copies).
# Wall time and peak memory from /usr/bin/time; the target is 12 GiB.
#
# usage: benches/scale10.sh [SOTERIA_BIN] [DATA_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/target/release/soteria}
data=${2:-/tmp/national10}
if [ ! -e "$data/events.parquet" ] && [ ! -d "$data/events" ]; then
  /usr/bin/time -f "generate --scale 10	%e s	%M KB" \
    "$bin" generate --forces all --start 2014-04 --months 120 --seed 1 --scale 10 --out "$data"
fi
export SOTERIA_CACHE=${SOTERIA_CACHE:-$(mktemp -d)/cache}
rm -rf "$SOTERIA_CACHE"
out=$(mktemp -d)
. "$here/benches/timing.sh"
t "full flight deck, scale 10 (first run, no validated copies)" "$bin" flightdeck --data "$data" --format parquet --out "$out/fd.parquet"
for i in 1 2; do
  t "full flight deck, scale 10 (later run $i)" "$bin" flightdeck --data "$data" --format parquet --out "$out/fd.parquet"
done
rm -rf "$out" "$SOTERIA_CACHE"
