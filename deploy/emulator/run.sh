#!/usr/bin/env bash
# Runs a command against a local CloudFormation emulator: ministack (pinned in requirements.txt,
# patched by launcher.py) on 127.0.0.1 on a free port. Installs the emulator and cfn-lint into
# ${CARGO_TARGET_DIR:-target}/ministack-venv when that venv is missing or was installed from other
# requirements, starts it, waits until it answers, exports
#   SWITCHBOARD_CFN_URL      http://127.0.0.1:<port> (every AWS service ministack emulates)
#   SWITCHBOARD_CFN_PYTHON   the venv's python (boto3 for test setup and checks)
#   SWITCHBOARD_CFN_LINT     the venv's cfn-lint
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (any value is accepted), AWS_REGION=us-east-1
# runs the command given as arguments from the repository root, and stops the emulator whatever
# happens. Example: deploy/emulator/run.sh "$PWD/target/ministack-venv/bin/python" deploy/emulator/probe/probe.py
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
venv="$target/ministack-venv"
if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]  (runs COMMAND with SWITCHBOARD_CFN_URL set)" >&2
  exit 2
fi
# (Re)install when the venv is missing or was installed from other requirements.
stamp="$venv/requirements.txt"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$stamp"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
  cp "$here/requirements.txt" "$stamp"
fi
port="$("$venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
log="$target/ministack-$port.log"
# Its own working directory: ministack writes scratch files (provided-runtime code, pid file)
# under TMPDIR, kept apart per run.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/ministack.XXXXXX")"
TMPDIR="$scratch" "$venv/bin/python" "$here/launcher.py" "$port" >"$log" 2>&1 &
server_pid=$!
stop() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  # Lambda bootstraps it started are its children; a clean stop ends them. Clear what is left.
  rm -rf "$scratch"
}
trap stop EXIT
ready=""
for _ in $(seq 1 150); do
  if "$venv/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/_ministack/health', timeout=1)" 2>/dev/null; then
    ready=1; break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "ministack exited before answering; log ($log):" >&2; cat "$log" >&2; exit 1
  fi
  sleep 0.2
done
if [ -z "$ready" ]; then
  echo "ministack did not answer on 127.0.0.1:$port within 30 s; log ($log):" >&2; cat "$log" >&2; exit 1
fi
export SWITCHBOARD_CFN_URL="http://127.0.0.1:$port"
export SWITCHBOARD_CFN_PYTHON="$venv/bin/python"
export SWITCHBOARD_CFN_LINT="$venv/bin/cfn-lint"
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1
cd "$root"
status=0
"$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "command failed ($status); emulator log: $log" >&2
else
  rm -f "$log"
fi
exit "$status"
