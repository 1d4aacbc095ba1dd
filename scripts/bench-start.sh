#!/usr/bin/env bash
# Start-up figures for the README: build time, then alternating cold starts of the compiled server
# (`node dist/main.js`, what `npm start` runs) and of `tsx src/main.ts` on the same embedded database, each
# measured from spawn to the first 200 from /readyz, and the RSS after 10 s idle. Usage: scripts/bench-start.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
db="$(mktemp -d "${TMPDIR:-/tmp}/cchc-bench-start.XXXXXX")"
pid=""
trap '[[ -n "$pid" ]] && kill -KILL "$pid" 2>/dev/null; rm -rf "$db"' EXIT
ms() { date +%s%3N; }

t0=$(ms); node scripts/build.mjs; echo "build: $(( $(ms) - t0 )) ms"
port=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

start() { # $1 label, rest: command
  local label=$1; shift
  local t=$(ms)
  PORT=$port HOST=127.0.0.1 DATABASE_URL="file:$db/db" LOG_LEVEL=warn "$@" >/dev/null 2>&1 &
  pid=$!
  until curl -fs -m 2 "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.05; done
  local ready=$(( $(ms) - t ))
  sleep 10
  local rss=$(ps -o rss= -p "$pid" | tr -d ' ')
  kill -TERM "$pid"; wait "$pid" || true; pid=""
  echo "$label: ready in $ready ms, RSS after 10 s idle $(( rss / 1024 )) MB"
}

start "first start (creates and seeds the database)" node dist/main.js
for i in $(seq 1 "$runs"); do
  start "compiled  #$i" node dist/main.js
  start "tsx       #$i" node --import tsx src/main.ts
done
