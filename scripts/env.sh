# Sourced by the scripts: puts the project's tools first on PATH, and gives plain cargo the compile-time
# environment cargo-leptos 0.3.10 gives its builds, so the two share every artifact instead of rebuilding the
# leptos crates for each other. leptos and leptos_config read LEPTOS_OUTPUT_NAME with option_env! (the hydration
# script's wasm name). Compiler flags come from .cargo/config.toml alone (Leptos's erase_components for every build):
# cargo-leptos adds no RUSTFLAGS for this workspace (disable-erase-components, no --split), and a RUSTFLAGS left in
# the caller's environment would replace the config's flags, so it is dropped here (scripts/fuzz sets its own).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$root/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export LEPTOS_OUTPUT_NAME=skywatch
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
unset LEPTOS_WATCH SERVER_FN_PREFIX SERVER_FN_MOD_PATH DISABLE_SERVER_FN_HASH SERVER_FN_OVERRIDE_KEY
