#!/usr/bin/env bash
# Every test of every project (unit, integration against a real nats-server,
# end-to-end against the built suite), then lint with the module boundaries.
# Ends with one line "tests: N passed, N failed, N skipped" summed over jest runs.
set -uo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE=true FORCE_COLOR=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
# The install that ran before (ensure-env.sh) must leave the committed lock file as it is.
if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- package-lock.json; then
  echo "test.sh: npm install changed package-lock.json; commit the lock file a fresh install writes" >&2
  status=1
fi
npx tsc -p tsconfig.json || status=1
npx nx run-many -t test --parallel=1 --outputStyle=stream 2>&1 | tee "$log" || status=1
npx nx run-many -t lint --parallel=2 --outputStyle=stream || status=1

# The failures again at the end, where a truncated CI log still shows them: each failed file, each
# failed test and the first lines of its error.
sed 's/\x1b\[[0-9;]*m//g' "$log" | awk '
  / FAIL / { print; next }
  /^([a-z0-9-]+: )?  ● / && !/● Console/ { print; n = 12; next }
  n > 0 { if ($0 ~ /^([a-z0-9-]+: )?[ \t]*at /) { n = 0; next } print; n-- }
' > "$log.failures"
if [ -s "$log.failures" ]; then
  echo "---- failures ----"
  head -200 "$log.failures"
  echo "------------------"
fi
rm -f "$log.failures"

# Sum jest's "Tests: 3 failed, 1 skipped, 40 passed, 44 total" lines.
sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^([a-z0-9-]+: )?Tests:' | awk '
  { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i; if ($(i+1) ~ /^skipped/) s += $i } }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }'
exit $status
