#!/usr/bin/env bash
# Side-by-side benchmark of tribute against hledger, ledger, beancount and a Python baseline, in
# one run on one machine (docs/performance.md). Yearly cumulative totals per commodity over
# synthetic corpora of about 10,000, 100,000 and 1,000,000 postings (`tribute synth`, seed 1).
# Prints a Markdown table: wall seconds (median of RUNS runs; 1 run for peers above PEER_MAX
# postings) and peak resident memory (MB, /usr/bin/time).
#
# Usage: bash crates/cli/benches/peers/run.sh            (SIZES="10000 100000 1000000" RUNS=3)
# Needs: hledger, ledger, bean-query (beanquery), python3, GNU time (`apt-get install time`).
set -euo pipefail
root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
sizes=${SIZES:-"10000 100000 1000000"}
runs=${RUNS:-3}
peer_max=${PEER_MAX:-100000}
work=${WORK:-$(mktemp -d)}
mkdir -p "$work"
cargo build -q --release -p tribute --manifest-path "$root/Cargo.toml"
bin=$root/target/release/tribute
baseline=$root/crates/cli/benches/peers/baseline.py

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

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -m); $(hledger --version | head -1); $(ledger --version | head -1 | cut -d, -f1); beancount $(python3 -c 'import beancount; print(beancount.__version__)'); $(python3 --version)"
echo
echo "| postings (target) | postings | tool | what | wall s | peak MB |"
echo "|---:|---:|---|---|---:|---:|"
for size in $sizes; do
  dir=$work/synth-$size
  count=$(( size / 85 > 0 ? size / 85 : 1 ))
  [ -d "$dir" ] || "$bin" synth --count "$count" --seed 1 --out "$dir" > "$work/synth-$size.txt"
  postings=$(grep -o '[0-9]* postings' "$work/synth-$size.txt" | cut -d' ' -f1)
  n=$runs; (( size > peer_max )) && n=1
  row() { echo "| $size | $postings | $1 | $2 | $3 | $4 |"; }
  read -r t m < <(measure "$runs" "$bin" --no-builtin --treaties "$dir" ledger --format csv); row tribute "ledger --format csv" "$t" "$m"
  read -r t m < <(measure "$runs" python3 "$baseline" "$dir/streams.json"); row "python baseline" "baseline.py streams.json" "$t" "$m"
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
read -r t m < <(measure 20 "$bin" ledger --payer Song --payee Jin --format csv)
echo "bundled corpus: tribute ledger --payer Song --payee Jin: median of 20 runs $t s, peak $m MB"
