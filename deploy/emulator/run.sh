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
# shellcheck source=../../tools/emulator/lib.sh
. "$root/tools/emulator/lib.sh"
ensure_venv "$venv" "$here/requirements.txt"
port="$(free_port "$venv/bin/python")"
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
wait_until_ready ministack "$server_pid" "$log" "http://127.0.0.1:$port/_ministack/health" 30 "$venv/bin/python"
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
