#!/usr/bin/env bash
# Runs every test of Switchboard on a fresh machine: installs the test tools (asl-validator and
# jsonata from npm, moto, ministack and cfn-lint from PyPI), checks dist/ is current, validates
# every compiled ASL definition, runs the whole Rust test suite, lints the stack templates, then
# the router's end-to-end tests against moto started on 127.0.0.1. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n==> %s\n' "$*"; }

step "Installing the Node test tools (tools/node: asl-validator, jsonata)"
npm ci --prefix tools/node --no-audit --no-fund --loglevel=error

step "Checking the code is formatted (cargo fmt)"
cargo fmt --all -- --check

step "Checking the compile and simulate commands build no AWS SDK crate"
# `cargo run --bin compile` and `--bin simulate` at the root build the workspace's default members
# (root Cargo.toml) with their features unified: `cargo tree` at the root resolves that same
# selection. The Lambda's SDK stack (aws-*, aws-lc-*, hyper-rustls, rustls, lambda_runtime) takes
# minutes to build cold and a flow author never needs it.
sdk="$(cargo tree --edges normal,build --prefix none --format '{p}' |
  grep -E '^(aws-[a-z0-9_-]+|lambda_runtime[a-z_]*|hyper-rustls|rustls) ' | sed 's/ (\*)$//' | sort -u || true)"
if [ -n "$sdk" ]; then
  printf 'error: `cargo run --bin compile`/`simulate` would build the AWS SDK:\n%s\n' "$sdk" >&2
  printf 'Keep switchboard-router, and any crate that turns on its `aws` feature, out of\n' >&2
  printf '`default-members` in Cargo.toml (`cargo tree -i aws-config` shows who pulls it in).\n' >&2
  exit 1
fi

step "Checking dist/ holds the current compiled flows"
cargo run --quiet --bin compile -- --check

step "Validating every compiled definition with asl-validator"
node tools/node/validate.js dist/*.asl.json

step "Running the Rust test suite"
# insta never accepts snapshots here: a changed snapshot fails the run.
CI=true INSTA_UPDATE=no cargo test --workspace --quiet

step "Linting the stack templates with cfn-lint in every PSTN audio region (installs it in target/ministack-venv)"
deploy/emulator/run.sh cargo test --quiet -p switchboard-stack --test cfn_lint

if [ -x router/emulator/run-e2e.sh ]; then
  step "Running the router end to end against moto (installs it in target/moto-venv)"
  router/emulator/run-e2e.sh --quiet
fi

step "All tests passed"
