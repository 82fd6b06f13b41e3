#!/bin/bash
# Times the README's performance rows in one run on the national ten-year dataset:
# Soteria beside the DuckDB peer script (three pairs, in turn), then the other national
# commands. Wall time and peak memory from /usr/bin/time.
#
# usage: benches/side_by_side.sh [SOTERIA_BIN] [DATA_DIR] [PYTHON_WITH_DUCKDB]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/target/debug/soteria}
data=${2:-/tmp/national}
python=${3:-$HOME/.cache/soteria-venv/bin/python}
peer=$here/../shared/peers/duckdb_flightdeck.py
ten=recorded,charges,charge_rate_closed,charge_rate_cohort,days_recorded_to_charge_median,outcome16_share,open_investigations,open_over_365d_share,suspect_identified_rate,isva_referral_rate
if [ ! -e "$data/events.parquet" ] && [ ! -d "$data/events" ]; then
  "$bin" generate --forces all --start 2014-04 --months 120 --seed 1 --out "$data"
fi
export SOTERIA_CACHE=${SOTERIA_CACHE:-$(mktemp -d)/cache}
rm -rf "$SOTERIA_CACHE"
out=$(mktemp -d)
. "$here/benches/timing.sh"
t "validate (first run, no validated copies)" "$bin" validate --data "$data"
t "validate (later run)" "$bin" validate --data "$data"
for i in 1 2 3; do
  t "ten indicators, soteria (pair $i)" "$bin" flightdeck --data "$data" --indicators "$ten" --format parquet --out "$out/ten.parquet"
  t "ten indicators, duckdb (pair $i)" "$python" "$peer" "$data" --from 2014-04 --to 2024-03 --threads 2 --out "$out/duck.csv"
done
# Three runs each: on a shared virtual machine one run can be a third slower than the next.
for i in 1 2 3; do
  t "full flight deck (run $i)" "$bin" flightdeck --data "$data" --format parquet --out "$out/fd.parquet"
done
for i in 1 2 3; do
  t "profile of a year (run $i)" "$bin" profile --data "$data" --from 2023-01 --to 2023-12
done
for i in 1 2 3; do
  t "repeat-suspect register (run $i)" "$bin" suspects --repeat --data "$data" --format parquet --out "$out/reg.parquet"
done
t "query over events" "$bin" query --data "$data" "SELECT event_type, count(*) FROM events GROUP BY 1"
rm -rf "$out"
