#!/usr/bin/env bash
# Mini-program checks for `npm test`: type check, weapp build + WeChat package-size limits, the H5 build
# (the e2e suite serves it), component tests and the weapp render tests; Chromium for the e2e suite.
set -euo pipefail
cd "$(dirname "$0")/../.."
npx tsc -p miniapp/tsconfig.json
npm run build:weapp -w miniapp --silent > /dev/null
npx tsx miniapp/scripts/check-package-size.ts
npm run build:h5 -w miniapp --silent > /dev/null
bash scripts/ensure-chromium.sh
NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning ${NODE_OPTIONS:-}" npx jest --ci -c miniapp/jest.config.js
