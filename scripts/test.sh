#!/usr/bin/env bash
# The whole suite: brings up this machine's services when they are down, then type checks, lints and runs jest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-services.sh
npx tsc -b
npx eslint . --max-warnings 0
npx prettier --check . > /dev/null || { npx prettier --check . ; exit 1; }
bash miniapp/scripts/test-miniapp.sh
NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning ${NODE_OPTIONS:-}" npx jest --ci "$@"
