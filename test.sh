#!/usr/bin/env bash
# Runs every test of Switchboard on a fresh machine: installs the test tools (asl-validator,
# jsonata and playwright-core from npm, Debian's chromium, moto, ministack and cfn-lint from
# PyPI), checks dist/ is current, validates every compiled ASL definition, runs the whole Rust
# test suite, tests the flow pages in headless Chromium, lints the stack templates, runs
# a stack's whole life (deploy, a call, destroy) against ministack, then the router's end-to-end
# tests against moto, each emulator started on 127.0.0.1. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n==> %s\n' "$*"; }

step "Installing the Node test tools (tools/node: asl-validator, jsonata, playwright-core)"
npm ci --prefix tools/node --no-audit --no-fund --loglevel=error

step "Installing Chromium for the page tests (Debian's chromium, when it is missing)"
if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium >/dev/null
fi
chromium --version 2>/dev/null

step "Checking the code is formatted (cargo fmt)"
cargo fmt --all -- --check

step "Checking the compile and simulate commands build no AWS SDK crate"
# Exactly what `cargo run --bin compile` and `--bin simulate` build at the root: cargo lists every
# unit of that build (fresh or not) with --message-format=json. The Lambda's SDK stack (aws-*,
# aws-lc-*, hyper-rustls, rustls, lambda_runtime) takes minutes to build cold, and a flow author
# never needs it; only the deploy, destroy and router binaries do.
sdk="$(cargo build --quiet --bin compile --bin simulate --message-format=json |
  python3 -c 'import json, sys
names = set()
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact":
        names.add(m["target"]["name"] if m["target"]["kind"] == ["lib"] else m["package_id"])
print("\n".join(sorted(names)))' |
  grep -E '^(aws_|aws-|lambda_runtime|hyper_rustls|rustls)' || true)"
if [ -n "$sdk" ]; then
  printf 'error: `cargo run --bin compile`/`simulate` would build the AWS SDK:\n%s\n' "$sdk" >&2
  printf 'Keep the AWS SDK out of their dependencies, and out of the features the default members\n' >&2
  printf 'unify into them (`cargo tree -i aws-config` shows who pulls it in).\n' >&2
  exit 1
fi

step "Checking dist/ holds the current compiled flows"
cargo run --quiet --bin compile -- --check

step "Validating every compiled definition with asl-validator"
node tools/node/validate.js dist/*.asl.json

step "Running the Rust test suite"
# insta never accepts snapshots here: a changed snapshot fails the run.
CI=true INSTA_UPDATE=no cargo test --workspace --quiet

step "Testing the flow pages in headless Chromium (tools/node/view.test.js; screenshots in target/view-test/)"
node --test tools/node/view.test.js

step "Linting the stack templates with cfn-lint in every PSTN audio region (installs it in target/ministack-venv)"
# Every cargo step after the test step selects --workspace, as it does: the same features and
# profile, so none of them builds the AWS SDK again.
deploy/emulator/run.sh cargo test --quiet --workspace --test cfn_lint

step "Deploying, calling, redeploying and destroying the business app against ministack and a fake of Chime SDK Voice"
deploy/emulator/lifecycle.sh

if [ -x router/emulator/run-e2e.sh ]; then
  step "Running the router end to end against moto (installs it in target/moto-venv)"
  router/emulator/run-e2e.sh --quiet
fi

step "All tests passed"
