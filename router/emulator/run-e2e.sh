#!/usr/bin/env bash
# End-to-end tests of the router against moto 5.2.5 on 127.0.0.1: installs the emulator in
# target/moto-venv, starts router/emulator/launcher.py on a free port, runs
# `cargo test -p switchboard-router --test e2e_moto`, and stops the server.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/moto-venv"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import moto, jsonata, flask_cors" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi
port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
log="$target/moto-e2e.log"
"$venv/bin/python" "$here/launcher.py" "$port" >"$log" 2>&1 &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if "$venv/bin/python" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/data.json', timeout=1)" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$moto_pid" 2>/dev/null; then
    echo "moto exited; log:" >&2; cat "$log" >&2; exit 1
  fi
  sleep 0.2
done
export SWITCHBOARD_MOTO_URL="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
cd "$root"
cargo test -p switchboard-router --test e2e_moto -- --test-threads=2 "$@"
