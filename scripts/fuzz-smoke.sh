#!/usr/bin/env bash
# Runs every fuzz target (cargo fuzz, libFuzzer with AddressSanitizer) from its seed
# corpus for SECONDS seconds each (default 10) and prints executions and findings per
# target. A crash, a leak or a timeout fails the run and leaves the input in
# fuzz/artifacts/<target>/.
#
# cargo fuzz passes -Z flags to rustc; RUSTC_BOOTSTRAP=1 lets the stable toolchain
# (the only one CI has) accept them, and stable ships the sanitizer runtimes.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export RUSTC_BOOTSTRAP=1
cargo run -q --locked -p slate_dev -- fuzz-seeds "$work/seeds"
cargo fuzz build -O
for target in policy tickets business_time replay differential; do
  mkdir -p "$work/corpus/$target"
  cargo fuzz run -O "$target" "$work/corpus/$target" "$work/seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    > "$work/$target.log" 2>&1 || { tail -40 "$work/$target.log"; echo "fuzz $target: FAILED"; exit 1; }
  runs=$(grep -E '^stat::number_of_executed_units' "$work/$target.log" | awk '{print $2}')
  echo "fuzz $target: $runs executions in ${seconds}s, 0 findings"
done
