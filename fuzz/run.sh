#!/usr/bin/env bash
# Runs one fuzz target for SECONDS (default 600) at the lowest priority, one
# process at a time, continuing past crashes so that one run finds them all;
# crashing inputs land in fuzz/artifacts/<target>/. Seed first (seed.sh).
#   bash fuzz/run.sh TARGET [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
target=$1
seconds=${2:-600}
mkdir -p "artifacts/$target" "corpus/$target"
exec nice -n 19 cargo +nightly fuzz run -O "$target" "corpus/$target" -- \
  -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -max_len=16384 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="artifacts/$target/"
