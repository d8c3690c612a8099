# Shell helpers shared by the scripts that start a local AWS emulator for the tests
# (deploy/emulator/run.sh: ministack; router/emulator/run-e2e.sh: moto). Source it; each function
# exits the script with what went wrong.

# ensure_venv VENV REQUIREMENTS: a virtualenv at VENV holding exactly REQUIREMENTS (pinned), made
# again whenever the requirements file changes.
ensure_venv() {
  local venv=$1 requirements=$2
  if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/requirements.txt"; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.txt"
  fi
}

# free_port PYTHON: a TCP port free on 127.0.0.1 now.
free_port() {
  "$1" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_until_ready NAME PID LOG URL SECONDS PYTHON: waits until URL answers, failing with the
# server's log if it exits first or does not answer in time.
wait_until_ready() {
  local name=$1 pid=$2 log=$3 url=$4 seconds=$5 python=$6 tries
  tries=$((seconds * 5))
  for _ in $(seq 1 "$tries"); do
    if "$python" -c "import urllib.request; urllib.request.urlopen('$url', timeout=1)" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited before answering; log ($log):" >&2; cat "$log" >&2; exit 1
    fi
    sleep 0.2
  done
  echo "$name did not answer at $url within $seconds s; log ($log):" >&2; cat "$log" >&2; exit 1
}
