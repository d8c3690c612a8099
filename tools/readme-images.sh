#!/usr/bin/env bash
# Regenerates the README's pictures in docs/images/: the business app's page as compiled, and one
# simulated call traced on it (the customer who leaves a message while the business is closed).
# Needs the Node tools (npm ci --prefix tools/node) and Debian's chromium, as ./test.sh installs.
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=workflows/scenarios/business-phone/closed-message.yaml
pages=target/readme-images
cargo run --quiet --bin compile
rm -rf "$pages"
cargo run --quiet --bin simulate -- --scenario "$scenario" --html "$pages" >/dev/null
node tools/node/readme-images.js dist/business-phone.html "$pages/closed-message.html" docs/images
ls -l docs/images
