#!/usr/bin/env bash
# Proves the production start on a copy of this checkout, as on a fresh clone:
#   npm ci --omit=dev && npm run build && npm start   reaches /readyz on a free port,
# then SIGTERM to npm makes the server drain and exit 0 within the bounded time, releasing the embedded lock.
# Needs no terminal (CI=true). Usage: scripts/check-production-start.sh [scratch-dir to keep]
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=true

keep="${1:-${KEEP_SCRATCH:-}}"
scratch="${1:-$(mktemp -d "${TMPDIR:-/tmp}/cchc-prod-start.XXXXXX")}"
server=""
cleanup() {
  if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then kill -KILL "$server" 2>/dev/null || true; fi
  [[ -n "$keep" ]] || rm -rf "$scratch"
}
trap cleanup EXIT
ms() { date +%s%3N; }
fail() { echo "check-production-start: FAIL: $*" >&2; [[ -f "$scratch/server.log" ]] && tail -n 30 "$scratch/server.log" >&2; exit 1; }

# The tracked and new (not ignored) files of this checkout: what a clone of it would hold, nothing installed or built.
mkdir -p "$scratch/app"
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' f; do [[ -e "$f" ]] && printf '%s\0' "$f"; done \
  | tar --null -T - -cf - | tar -xf - -C "$scratch/app"
cd "$scratch/app"

t0=$(ms)
npm ci --omit=dev --no-audit --no-fund --prefer-offline >"$scratch/install.log" 2>&1 || { tail -n 30 "$scratch/install.log" >&2; fail "npm ci --omit=dev"; }
t1=$(ms)
npm run build >"$scratch/build.log" 2>&1 || { cat "$scratch/build.log" >&2; fail "npm run build"; }
t2=$(ms)
[[ -d node_modules/tsx || -d node_modules/vitest ]] && fail "dev dependencies (tsx, vitest) were installed"

port=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
PORT="$port" HOST=127.0.0.1 DATABASE_URL="file:$scratch/db" LOG_LEVEL=info npm start >"$scratch/server.log" 2>&1 &
server=$!
ready=""
for _ in $(seq 1 900); do
  kill -0 "$server" 2>/dev/null || fail "npm start exited before /readyz answered"
  if curl -fsS -m 2 "http://127.0.0.1:$port/readyz" >"$scratch/readyz.json" 2>/dev/null; then ready=1; break; fi
  sleep 0.2
done
[[ -n "$ready" ]] || fail "/readyz did not answer within 180 s"
t3=$(ms)
node_pid=$(pgrep -P "$server" -f 'dist/main.js' || true)
[[ -n "$node_pid" ]] || node_pid=$(pgrep -f "node dist/main.js" | head -n 1)
rss_kb=$(ps -o rss= -p "$node_pid" | tr -d ' ')

kill -TERM "$server"
code=0
for _ in $(seq 1 300); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
kill -0 "$server" 2>/dev/null && fail "npm start still running 30 s after SIGTERM"
wait "$server" || code=$?
server=""
t4=$(ms)
[[ "$code" == 0 ]] || fail "npm start exited with $code after SIGTERM"
kill -0 "$node_pid" 2>/dev/null && fail "the server process $node_pid outlived npm"
[[ -e "$scratch/db/.app.lock" ]] && fail "the embedded database lock was left behind"
grep -q '"msg":"stopped"' "$scratch/server.log" || fail "no 'stopped' line in the server log"

echo "check-production-start: OK: npm ci --omit=dev $(( (t1-t0) ))ms, build $(( (t2-t1) ))ms," \
  "npm start -> /readyz $(( (t3-t2) ))ms, RSS at ready ${rss_kb} kB, SIGTERM -> exit 0 in $(( (t4-t3) ))ms; $(cat "$scratch/readyz.json")"
