#!/bin/sh
# Starts a Skywatch server for the end-to-end tests: a fresh data dir, a config with two console users, and two
# access keys (the default account's, and one of account 111111111111 so that admins can switch accounts), all
# thrown away when Playwright stops the server.
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${SKYWATCH_E2E_PORT:-4591}"
# The newest server binary, unless SKYWATCH_E2E_BIN names one. A debug binary serves target/site/pkg from disk
# (whatever build wrote it last); a release binary carries the site it was built with. cargo leptos writes the
# wasm before the server, so the newest binary is the one that matches the wasm on disk.
bin="${SKYWATCH_E2E_BIN:-}"
if [ -z "$bin" ]; then
  bin="$root/target/debug/skywatch"
  if [ -x "$root/target/release/skywatch" ] && [ "$root/target/release/skywatch" -nt "$bin" ]; then
    bin="$root/target/release/skywatch"
  fi
fi
echo "skywatch e2e: using $bin" >&2
dir="$(mktemp -d "${TMPDIR:-/tmp}/skywatch-e2e.XXXXXX")"
cat > "$dir/config.toml" <<'TOML'
[[users]]
name = "admin"
role = "admin"
password = "admin-password"

[[users]]
name = "viewer"
role = "viewer"
password = "viewer-password"
TOML
# A private copy: a rebuild of target/debug/skywatch during the run cannot swap the binary under the tests.
cp "$bin" "$dir/skywatch-e2e-server"
cd "$root"
"$dir/skywatch-e2e-server" serve --listen "127.0.0.1:$port" --data-dir "$dir/data" --auth sigv4 \
  --access-key AKIDEXAMPLE:secret --access-key AKIDOTHER:other-secret:111111111111 --config "$dir/config.toml" &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap 'cleanup; exit 0' INT TERM
trap 'rm -rf "$dir"' EXIT
wait "$pid"
