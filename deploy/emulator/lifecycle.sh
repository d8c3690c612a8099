#!/usr/bin/env bash
# The deploy/destroy lifecycle test (deploy/tests/lifecycle.rs), offline: builds the router's and
# the provider's Lambda binaries and the fake of Chime SDK Voice, starts the fake on 127.0.0.1,
# then runs the test through run.sh (ministack), whose Lambda functions inherit
# AWS_ENDPOINT_URL_CHIME_SDK_VOICE and so reach the fake as they would reach Chime SDK Voice.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
cd "$root"
# The router, the provider and the fake as `cargo test --workspace` builds them (into
# target/debug/): after test.sh's test step this builds nothing. `-p` or `cargo build` would
# resolve other features or another profile, and so build the whole AWS SDK again (minutes).
cargo test --quiet --workspace --no-run
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
log="$target/fake-chime-$port.log"
# No numbers in area code 907: the test's failed order.
"$target/debug/fake-chime" --port "$port" --no-numbers 907 >"$log" 2>&1 &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$log" 2>/dev/null && break
  kill -0 "$fake_pid" 2>/dev/null || { echo "fake-chime exited; log:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.1
done
export AWS_ENDPOINT_URL_CHIME_SDK_VOICE="http://127.0.0.1:$port"
export SWITCHBOARD_FAKE_CHIME_URL="http://127.0.0.1:$port"
export SWITCHBOARD_LAMBDA_BINARIES="$target/debug"
"$here/run.sh" cargo test --quiet --workspace --test lifecycle -- --nocapture \
  deploy_call_redeploy_destroy_leaves_nothing "$@"
