# Sourced by the bench scripts: `t NAME COMMAND...` runs COMMAND and prints its name,
# wall time and peak memory (KiB) from /usr/bin/time; a failure shows its stderr and
# stops the script. Uses the caller's `$out` folder for the command's stderr.
t() {
  local name=$1; shift
  /usr/bin/time -f "$name	%e s	%M KB" "$@" >/dev/null 2>"$out/err" || { cat "$out/err"; exit 1; }
  tail -1 "$out/err"
}
