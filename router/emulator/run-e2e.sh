#!/usr/bin/env bash
# End-to-end tests of the router against moto 5.2.5 on 127.0.0.1: installs the emulator in
# target/moto-venv, starts router/emulator/launcher.py on a free port, runs
# `cargo test --workspace --test e2e_moto`, and stops the server.
# The emulator's clock starts at `clock` below (a Tuesday noon in New York, when every dist/ flow is
# open): router/tests/e2e/dist.rs scripts the calls for that time and checks it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/moto-venv"
# (Re)install when the venv is missing or was installed from other requirements.
# shellcheck source=../../tools/emulator/lib.sh
. "$root/tools/emulator/lib.sh"
ensure_venv "$venv" "$here/requirements.txt"
port="$(free_port "$venv/bin/python")"
log="$target/moto-e2e.log"
clock="2026-03-03T12:00:00-05:00"
"$venv/bin/python" "$here/launcher.py" "$port" --clock "$clock" >"$log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true' EXIT
wait_until_ready moto "$moto_pid" "$log" "http://127.0.0.1:$port/moto-api/data.json" 20 "$venv/bin/python"
export SWITCHBOARD_MOTO_URL="http://127.0.0.1:$port"
# The tests set up tables and functions, and read items back, with this Python's boto3.
export SWITCHBOARD_MOTO_PYTHON="$venv/bin/python"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
cd "$root"
# --workspace, as test.sh's test step: the same features, so nothing is built again.
cargo test --workspace --test e2e_moto -- --test-threads=2 "$@"
