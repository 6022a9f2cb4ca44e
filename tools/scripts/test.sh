#!/usr/bin/env bash
# Every test of every project (unit, integration against a real nats-server,
# end-to-end against the running suite), then lint with the module boundaries.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE=true
npx tsc -p tsconfig.json
npx nx run-many -t test --parallel=1 --outputStyle=stream
npx nx run-many -t lint --parallel=2 --outputStyle=stream
