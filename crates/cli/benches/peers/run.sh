#!/usr/bin/env bash
# Side-by-side benchmark of tribute against hledger, ledger, beancount and a Python baseline, in
# one run on one machine (docs/performance.md). Yearly cumulative totals per commodity over
# synthetic corpora of about 10,000, 100,000 and 1,000,000 postings (`tribute synth`, seed 1).
# Prints a Markdown table: wall seconds (median of RUNS runs; 1 run for peers above PEER_MAX
# postings) and peak resident memory (MB, /usr/bin/time).
#
# The same work is also read by tribute as one streams table (`synth --as csv`: one CSV file and
# one TOML file of amendments), against the Python script reading its one JSON file; and the TOML
# corpus's cost is set against the kernel's floor for reading its files, measured in the same run
# (`cat DIR/*.toml > /dev/null`, and a Python loop that opens and reads each file). The last lines
# compare the largest size with the targets of docs/performance.md.
#
# Usage: bash crates/cli/benches/peers/run.sh            (SIZES="10000 100000 1000000" RUNS=3)
#        PEERS=0 skips hledger, ledger and beancount (and their journals).
# Needs: hledger, ledger, bean-query (beanquery), python3, GNU time (installed with apt if missing).
set -euo pipefail
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
sizes=${SIZES:-"10000 100000 1000000"}
runs=${RUNS:-3}
peer_max=${PEER_MAX:-100000}
peers=${PEERS:-1}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
if [ ! -x /usr/bin/time ]; then
  apt-get install -y -q time > /dev/null || { apt-get update -q > /dev/null && apt-get install -y -q time > /dev/null; }
fi
cargo build -q --release -p tribute --manifest-path "$root/Cargo.toml"
bin=$root/target/release/tribute
baseline=$root/crates/cli/benches/peers/baseline.py
# The interpreter itself, not what `python3` on the PATH may be: a version manager's shim (pyenv's
# is a bash script that runs `pyenv exec`) adds some 30 ms to every start, which the baseline is
# not to be credited with.
python=$(python3 -c 'import sys; print(sys.executable)')

# measure LABEL N CMD...: runs CMD N times (output discarded), prints "median_seconds peak_MB".
measure() {
  local n=$1; shift
  local times=() peak=0
  for _ in $(seq "$n"); do
    local out report
    report=$(mktemp)
    if ! /usr/bin/time -o "$report" -f "%e %M" "$@" > /dev/null 2>"$report.err"; then
      echo "FAILED: $* ($(head -c 300 "$report.err"))" >&2
      rm -f "$report" "$report.err"
      echo "FAILED -"
      return
    fi
    out=$(tail -1 "$report"); rm -f "$report" "$report.err"
    times+=("${out% *}")
    local kb=${out#* }
    (( kb > peak )) && peak=$kb
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$median $((peak / 1024))"
}

# alternate N A... -- B...: runs A and B in turn, N times each (output discarded), and prints
# "median_A_seconds median_B_seconds": wall time to the microsecond (bash's EPOCHREALTIME), so
# that a run of 60 ms is not rounded to GNU time's hundredths, and the two commands meet the
# same load on a shared machine, run after run.
alternate() {
  local n=$1; shift
  local a=() b=()
  while [ "$1" != "--" ]; do a+=("$1"); shift; done
  shift
  local ta=() tb=()
  for _ in $(seq "$n"); do
    local t0=$EPOCHREALTIME
    "${a[@]}" > /dev/null 2>&1 || { echo "FAILED: ${a[*]}" >&2; echo "- -"; return; }
    local t1=$EPOCHREALTIME
    "$@" > /dev/null 2>&1 || { echo "FAILED: $*" >&2; echo "- -"; return; }
    local t2=$EPOCHREALTIME
    ta+=("$(awk -v x="$t0" -v y="$t1" 'BEGIN { printf "%.6f", y - x }')")
    tb+=("$(awk -v x="$t1" -v y="$t2" 'BEGIN { printf "%.6f", y - x }')")
  done
  local med='{a[NR]=$1} END {print a[int((NR+1)/2)]}'
  echo "$(printf '%s\n' "${ta[@]}" | sort -n | awk "$med") $(printf '%s\n' "${tb[@]}" | sort -n | awk "$med")"
}

peer_versions=""
if (( peers )); then
  peer_versions="; $(hledger --version | head -1); $(ledger --version | head -1 | cut -d, -f1); beancount $(python3 -c 'import beancount; print(beancount.__version__)')"
fi
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m), load average $(cut -d' ' -f1-3 /proc/loadavg)$peer_versions; $($python --version) ($python)"
echo
echo "| postings (target) | postings | tool | what | wall s | peak MB |"
echo "|---:|---:|---|---|---:|---:|"
journals=""; (( peers )) || journals="--no-journals"
for size in $sizes; do
  dir=$work/synth-$size
  count=$(( size / 85 > 0 ? size / 85 : 1 ))
  # shellcheck disable=SC2086
  [ -d "$dir" ] || "$bin" synth --count "$count" --seed 1 --out "$dir" $journals > "$work/synth-$size.txt"
  [ -d "$dir-csv" ] || "$bin" synth --count "$count" --seed 1 --out "$dir-csv" --no-journals --as csv > /dev/null
  # A diagnostic: the streams table without synth-changes.toml (so without the cuts and
  # suspensions: not the same totals), to tell the table's cost from the TOML file's.
  if [ ! -d "$dir-table-only" ]; then cp -r "$dir-csv" "$dir-table-only" && rm "$dir-table-only/synth-changes.toml"; fi
  # Another: the same changes split into TOML files of 100 items (the same totals), to show what
  # locating items costs while the loader finds a line and column by scanning the file before it.
  if [ ! -d "$dir-split" ] && [ -f "$dir-csv/synth-changes.toml" ]; then
    cp -r "$dir-csv" "$dir-split" && python3 - "$dir-split" <<'PY'
import os, sys
d = sys.argv[1]
head, *items = open(f"{d}/synth-changes.toml").read().split("\n[[")
os.remove(f"{d}/synth-changes.toml")
for k in range(0, len(items), 100):
    part = head.replace("suspensions\"", f"suspensions, part {k // 100}\"", 1)
    open(f"{d}/synth-changes-{k // 100:03}.toml", "w").write(part + "\n[[" + "\n[[".join(items[k:k + 100]))
PY
  fi
  postings=$(grep -o '[0-9]* postings' "$work/synth-$size.txt" | cut -d' ' -f1)
  n=$runs; (( size > peer_max )) && n=1
  row() { echo "| $size | $postings | $1 | $2 | $3 | $4 |"; }
  read -r t m < <(measure "$runs" "$bin" --no-builtin --treaties "$dir" ledger --format csv); row tribute "ledger --format csv ($count TOML files)" "$t" "$m"
  toml_t=$t; toml_m=$m
  read -r t m < <(measure "$runs" "$bin" --no-builtin --treaties "$dir-csv" ledger --format csv); row tribute "ledger --format csv (one streams table)" "$t" "$m"
  csv_t=$t; csv_m=$m
  read -r t m < <(measure "$runs" "$bin" --no-builtin --treaties "$dir-table-only" ledger --format csv); row tribute "diagnostic: the streams table alone, no changes file" "$t" "$m"
  if [ -d "$dir-split" ]; then
    read -r t m < <(measure "$runs" "$bin" --no-builtin --treaties "$dir-split" ledger --format csv); row tribute "diagnostic: the streams table, changes in files of 100" "$t" "$m"
  fi
  read -r t m < <(measure "$runs" "$python" "$baseline" "$dir/streams.json"); row "python baseline" "baseline.py streams.json" "$t" "$m"
  py_t=$t
  # The ratio's own measurement: the streams table and the Python script in turn, to the
  # microsecond (the rows above are GNU time's hundredths, each command's runs in a block).
  read -r alt_tribute alt_py < <(alternate "$runs" "$bin" --no-builtin --treaties "$dir-csv" ledger --format csv -- "$python" "$baseline" "$dir/streams.json")
  row tribute "side by side: the streams table, in turn with the Python script" "$alt_tribute" "-"
  row "python baseline" "side by side: baseline.py, in turn with the streams table" "$alt_py" "-"
  # The kernel's floor for reading the TOML files: cat, and a Python loop of open() and read().
  read -r t m < <(measure "$runs" sh -c "cat '$dir'/*.toml > /dev/null"); row "kernel floor" "cat DIR/*.toml > /dev/null" "$t" "$m"
  cat_t=$t
  read -r t m < <(measure "$runs" "$python" -c "import glob
for p in glob.glob('$dir/*.toml'):
    open(p, 'rb').read()"); row "kernel floor" "python: open and read each .toml" "$t" "$m"
  if (( ! peers )); then continue; fi
  read -r t m < <(measure "$n" hledger -f "$dir/journal.hledger" balance --yearly --historical -O csv Expenses); row "hledger" "balance -Y -H" "$t" "$m"
  read -r t m < <(measure "$n" ledger -f "$dir/journal.ledger" --yearly --collapse register Expenses); row "ledger" "-Y --collapse register" "$t" "$m"
  read -r t m < <(measure "$n" env BEANCOUNT_DISABLE_LOAD_CACHE=1 bean-query "$dir/journal.beancount" "SELECT year, currency, sum(number) WHERE account ~ '^Expenses' GROUP BY year, currency"); row "beancount" "bean-query, cache off" "$t" "$m"
  # Valued at payment date: every posting at the rate of its year (a rate per century).
  [ -f "$dir/valued.hledger" ] || "$bin" --no-builtin --treaties "$dir" export --format hledger --prices synth -o "$dir/valued.hledger"
  [ -f "$dir/valued.beancount" ] || "$bin" --no-builtin --treaties "$dir" export --format beancount --prices synth -o "$dir/valued.beancount"
  read -r t m < <(measure "$runs" "$bin" --no-builtin --treaties "$dir" total --by all --prices synth --format csv); row tribute "valued: total --prices synth" "$t" "$m"
  if (( size <= peer_max )); then
    read -r t m < <(measure 1 hledger -f "$dir/valued.hledger" balance --yearly --historical --value=then,VALUE Expenses); row hledger "valued: balance -Y -H --value=then,VALUE" "$t" "$m"
  fi
  read -r t m < <(measure 1 env BEANCOUNT_DISABLE_LOAD_CACHE=1 bean-query "$dir/valued.beancount" "SELECT year, sum(convert(position, 'VALUE', date)) WHERE account ~ '^Expenses' GROUP BY year"); row beancount "valued: convert(position, VALUE, date)" "$t" "$m"
done
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "n/a" }'; }
echo "largest size: python / tribute (streams table), side by side = $(ratio "$alt_py" "$alt_tribute")x (target >= 10x; in blocks of GNU time $(ratio "$py_t" "$csv_t")x);" \
  "tribute (TOML files) / cat = $(ratio "$toml_t" "$cat_t")x (target <= 1.5x);" \
  "peak MB: TOML files $toml_m, streams table $csv_m (target < 50)"
read -r t m < <(measure 20 "$bin" ledger --payer Song --payee Jin --format csv)
echo "bundled corpus: tribute ledger --payer Song --payee Jin: median of 20 runs $t s, peak $m MB"
