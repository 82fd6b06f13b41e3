#!/usr/bin/env bash
# Every command of soteria, run under strace: none may open an internet socket (the
# engine promises never to touch the network), and a query's table functions, which
# would read a URL, are refused before anything is opened.
# usage: no_network.sh SOTERIA_BIN DATASET_DIR
set -euo pipefail
bin=$1
data=$2
if ! command -v strace >/dev/null 2>&1; then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo -n"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_ apt-get install -y -qq strace >/dev/null 2>&1 ||
    { $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq strace >/dev/null; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'month,value\n2024-01,3\n2024-02,5\n2024-03,4\n2024-04,6\n' > "$tmp/series.csv"
printf 'unit,x,n\nA,3,40\nB,9,60\nC,4,45\n' > "$tmp/units.csv"
ho=datasets/reference/ho-outcomes-2017-18-sexual-offences.csv.gz
runs=0
# Runs a command under strace; EXPECT is the exit code it must give.
traced() {
  local expect=$1
  shift
  local code=0
  strace -f -qq -e trace=socket,connect -o "$tmp/trace" "$bin" "$@" >"$tmp/out" 2>&1 || code=$?
  if grep -E 'AF_INET|AF_INET6' "$tmp/trace"; then
    echo "no_network: soteria $* opened a network socket" >&2
    exit 1
  fi
  if [ "$code" != "$expect" ]; then
    echo "no_network: soteria $* exited $code, not $expect:" >&2
    tail -5 "$tmp/out" >&2
    exit 1
  fi
  runs=$((runs + 1))
}
run() { traced 0 "$@"; }
run schema
run indicators
run generate --forces 2 --months 6 --scale 0.05 --out "$tmp/gen"
run validate --data "$data" --quarantine "$tmp/q"
run flightdeck --data "$data" --spc --format csv --out "$tmp/fd.csv"
run profile --data "$data" --from 2024-01 --to 2024-12
run suspects --repeat --data "$data"
run scrutiny-sample --data "$data" --month 2024-09 --n 5 --seed 1
run query --data "$data" "SELECT count(*) FROM crimes"
for fn in read_csv read_parquet read_ipc read_json; do
  traced 2 query --data "$data" "SELECT * FROM $fn('http://127.0.0.1:9/x')"
  grep -q "SQL refused" "$tmp/out" || { echo "no_network: $fn was not refused" >&2; exit 1; }
done
run stats ci --x 12 --n 240
run spc --input "$tmp/series.csv" --value value --date month --chart "$tmp/spc.svg"
run funnel --input "$tmp/units.csv" --numerator x --denominator n --label unit
run chart spc --data "$data" --out "$tmp/chart.png"
run gallery --data "$data" --out "$tmp/gallery"
run report --data "$data" --month 2024-12 --out "$tmp/report"
run assurance --data "$data" --month 2024-12 --format json
run paper --data "$data" --month 2024-12 --out "$tmp/paper.docx"
run explore --data "$data" --month 2024-12 --out "$tmp/explore.html"
run opendata outcomes --input "$ho"
run opendata compare --input "$ho" --force Cleveland --out "$tmp/compare"
echo "no_network: $runs runs of every command under strace, no internet socket"
