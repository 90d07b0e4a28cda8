#!/usr/bin/env bash
# scripts/time-make-demo.sh [REPO] [PORT]: how long `make demo` takes on a fresh clone until the app answers.
# Clones REPO (default: this repository) into a temporary folder, runs `make demo PORT=PORT` there, polls the login
# page every half second, prints the seconds from the start of `make` until it answers and the demo's own step
# times, then stops the server and removes the clone. The figure is recorded in docs/benchmarks.md.
set -u
repo=${1:-$(git -C "$(dirname "$0")/.." rev-parse --show-toplevel)}
port=${2:-8799}
dir=$(mktemp -d /tmp/doudi-fresh-XXXXXX)
git clone -q "$repo" "$dir/repo" || exit 1
cd "$dir/repo" || exit 1
start=$(date +%s.%N)
setsid make demo PORT="$port" > "$dir/make.log" 2>&1 &
make_pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/accounts/login/"; do
  if ! kill -0 $make_pid 2>/dev/null; then echo "make demo stopped before serving:"; tail -20 "$dir/make.log"; exit 1; fi
  sleep 0.5
done
end=$(date +%s.%N)
printf 'make demo on a fresh clone: serving after %.1f s (load average %s)\n' \
  "$(echo "$end - $start" | bc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
for f in .venv/.installed-run doudi/static/vendor/htmx.min.js; do
  printf '  %-34s ready after %.1f s\n' "$f" "$(echo "$(stat -c %.9Y "$f") - $start" | bc)"
done
grep -E "^Made two years|^Demo built" "$dir/make.log" | cut -c1-400
kill -- -"$make_pid" 2>/dev/null  # make, the server and its worker (their own process group)
wait $make_pid 2>/dev/null
rm -rf "$dir"
