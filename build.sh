#!/usr/bin/env bash
# Builds, serves, tests and measures the Dateline explorer.
#
#   ./build.sh [--manifest PATH | FILE...]   build everything, print a summary
#   ./build.sh serve [--port N] [--host H] [--manifest PATH | FILE...]
#                                            build, then serve www/ (127.0.0.1:8080)
#   ./build.sh test                          build, then fmt + clippy (native, wasm32),
#                                            native tests, wasm tests in headless
#                                            Chromium, end-to-end browser tests, fuzz smoke
#   ./build.sh bench                         build, then `dateline bench` and the
#                                            browser benchmark (tests/e2e/bench.mjs:
#                                            first visit beside a floor page and
#                                            Pagefind, keystroke → painted frame)
#   ./build.sh sizes                         wasm size at opt-level 3, s and z
#
# It installs what is missing, and only that (each step is a no-op when done):
# the wasm32 target, wasm-bindgen-cli at the exact version Cargo.lock pins,
# Debian's chromium + chromium-driver (test/bench only), and the npm packages
# of tests/e2e (playwright-core, axe-core, and binaryen for wasm-opt) from the lockfile.
#
# Outputs (gitignored): www/data/index.dtl, www/pkg/ (wasm + JS glue), and
# the .br/.gz copies beside each asset under www/.
# CARGO_TARGET_DIR is honoured (default: ./target).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
export CARGO_TARGET_DIR=$TARGET_DIR
DATELINE=$TARGET_DIR/release/dateline
WASM_TARGET=wasm32-unknown-unknown
E2E=$ROOT/tests/e2e
PKG=$ROOT/www/pkg
DATA=$ROOT/www/data
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- tools -------------------------------------------------------------------

# The wasm-bindgen version Cargo.lock pins (the CLI must match it exactly).
locked_wasm_bindgen() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_rust_tools() {
  command -v cargo >/dev/null || die "cargo not found: install Rust from rustup first"
  if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx "$WASM_TARGET"; then
    say "adding the $WASM_TARGET target"
    rustup target add "$WASM_TARGET"
  fi
  if command -v rustup >/dev/null; then
    local c
    for c in rustfmt clippy; do
      rustup component list --installed | grep -q "^$c" || { say "adding rustup component $c"; rustup component add "$c"; }
    done
  fi
  [ -f Cargo.lock ] || cargo generate-lockfile
  local want have
  want=$(locked_wasm_bindgen)
  [ -n "$want" ] || die "cannot find wasm-bindgen in Cargo.lock"
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (found: ${have:-none})"
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

ensure_node_packages() {
  command -v npm >/dev/null || {
    say "installing node + npm (Debian)"
    as_root apt-get update && as_root apt-get install -y nodejs npm
  }
  # `npm ci` only when the lockfile changed since the last install.
  if [ ! -f "$E2E/node_modules/.package-lock.json" ] ||
     [ "$E2E/package-lock.json" -nt "$E2E/node_modules/.package-lock.json" ]; then
    say "installing the npm packages of tests/e2e (npm ci)"
    (cd "$E2E" && npm ci --no-audit --no-fund)
  fi
}

# The ingest, index and search fuzz targets for a few seconds from their
# committed seeds: a smoke test that they build and hold (long runs and their
# figures: fuzz/README.md). Inputs may be up to 256 KiB, so that the index
# seeds (a whole default index, a sharded root with all its shards) load
# whole. Needs the nightly toolchain; without it the step says so and is
# skipped.
fuzz_smoke() {
  if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    say "fuzz smoke SKIPPED: no nightly toolchain (rustup toolchain install nightly)"
    return 0
  fi
  command -v cargo-fuzz >/dev/null || { say "installing cargo-fuzz"; cargo install cargo-fuzz; }
  local tmp t
  tmp=$(mktemp -d)
  for t in ingest index search feed json jsonl csv html; do
    cp -r "$ROOT/fuzz/corpus/$t" "$tmp/$t"
    say "fuzz smoke: $t (${FUZZ_SECONDS:-15} s)"
    if ! (cd "$ROOT/fuzz" && cargo +nightly fuzz run -O "$t" "$tmp/$t" -- \
        -max_total_time="${FUZZ_SECONDS:-15}" -timeout=10 -max_len=262144 -print_final_stats=1 \
        >"$tmp/$t.log" 2>&1); then
      tail -n 60 "$tmp/$t.log" >&2
      die "fuzz target $t failed (above; reproduce: cd fuzz && cargo +nightly fuzz run $t)"
    fi
    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$tmp/$t.log" || true
  done
  rm -rf "$tmp"
}

# Formatting and lints, native and wasm32 (the wasm build compiles other code:
# `src/wasm.rs` and the cfg'd paths), warnings as errors. The fuzz crate is a
# workspace of its own: its formatting is checked too.
lint() {
  say "cargo fmt --check (crate and fuzz/)"
  cargo fmt --check || die "cargo fmt --check: run cargo fmt"
  (cd fuzz && cargo fmt --check) || die "cargo fmt --check in fuzz/: run (cd fuzz && cargo fmt)"
  say "cargo clippy (native, all targets)"
  cargo clippy --all-targets -- -D warnings
  say "cargo clippy (wasm32, library and wasm tests)"
  cargo clippy --target "$WASM_TARGET" --no-default-features --lib --test wasm -- -D warnings
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
  fi
}

# --- builds ------------------------------------------------------------------

build_native() {
  say "building dateline (native, release)"
  cargo build --release --bin dateline
}

# Index from corpus/manifest.toml, or from the --manifest/FILE arguments.
build_index() {
  local input=("$@")
  [ ${#input[@]} -gt 0 ] || input=(--manifest corpus/manifest.toml)
  say "building the index: www/data/ from ${input[*]}"
  mkdir -p "$DATA"
  # The build's summary is kept for ours (its index ÷ text line).
  "$DATELINE" build "${input[@]}" --out "$DATA" 2> >(tee "$TARGET_DIR/index-build.txt" >&2)
}

# The wasm module: cargo (profile `wasm`), wasm-bindgen, wasm-opt -Oz.
# `-ocimfs 20`: inline a function that has one caller only when it is small
# (binaryen's default inlines every such function): 2 KB more raw, but 5-7 KB
# less gzipped (4.5 KB less brotli), as fewer huge merged functions compress
# better; no change in speed measured (docs/README-web.md, "The wasm module").
WASM_OPT_FLAGS=(-Oz -ocimfs 20 --strip-debug --strip-producers)
build_wasm() {
  local opt_level=${1:-}
  say "building the wasm module${opt_level:+ (opt-level $opt_level)}"
  if [ -n "$opt_level" ]; then
    CARGO_PROFILE_WASM_OPT_LEVEL=$opt_level cargo build --lib --no-default-features \
      --target "$WASM_TARGET" --profile wasm
  else
    cargo build --lib --no-default-features --target "$WASM_TARGET" --profile wasm
  fi
  rm -rf "$PKG"
  wasm-bindgen --target web --out-dir "$PKG" "$TARGET_DIR/$WASM_TARGET/wasm/dateline.wasm"
  "$E2E/node_modules/.bin/wasm-opt" "${WASM_OPT_FLAGS[@]}" \
    "$PKG/dateline_bg.wasm" -o "$PKG/dateline_bg.wasm"
}

# --- embed: the single-file build (added by the embed work) -------------------
# www/dist/dateline.html: page, CSS, JS, wasm and index in ONE file that opens
# from file:// and offline. esbuild (pinned in tools/package-lock.json,
# installed with `npm ci`) bundles app.js + dateline.js + the wasm glue into
# one module (tools/bundle.mjs -> www/dist/bundle/app.single.js); then
# `dateline build --single-file` inlines it with the wasm and the index.
TOOLS=$ROOT/tools
SINGLE=$ROOT/www/dist/dateline.html

ensure_tools_packages() {
  if [ ! -f "$TOOLS/node_modules/.package-lock.json" ] ||
     [ "$TOOLS/package-lock.json" -nt "$TOOLS/node_modules/.package-lock.json" ]; then
    say "installing the npm packages of tools/ (npm ci: esbuild)"
    (cd "$TOOLS" && npm ci --no-audit --no-fund)
  fi
}

# www/app.bundle.js: the served page's one script (index.html loads it):
# app.js, its modules and the wasm glue, minified by esbuild, so that a
# first visit fetches one module, not a waterfall of imports. The sources
# stay as they are (the module tests and the custom element import them).
build_page_bundle() {
  ensure_tools_packages
  say "bundling the page for serving (esbuild): www/app.bundle.js"
  node "$TOOLS/bundle.mjs" --page
}

build_single_file() {
  ensure_tools_packages
  say "bundling the page into one module (esbuild)"
  node "$TOOLS/bundle.mjs"
  local input=("$@")
  [ ${#input[@]} -gt 0 ] || input=(--manifest corpus/manifest.toml)
  say "writing the single file: ${SINGLE#$ROOT/}"
  "$DATELINE" build "${input[@]}" --out "$DATA" --quiet --single-file "$SINGLE" --assets www
}
# --- end of the embed block ----------------------------------------------------

# Bytes raw / gzip -9 / brotli (max) of a file, via node's zlib.
sizes_of() {
  node -e '
    const fs = require("fs"), zlib = require("zlib");
    for (const f of process.argv.slice(1)) {
      const b = fs.readFileSync(f);
      const gz = zlib.gzipSync(b, { level: 9 }).length;
      const br = zlib.brotliCompressSync(b, { params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length;
      console.log(`  ${f.replace(process.cwd() + "/", "").padEnd(28)} ${String(b.length).padStart(8)} B raw ${String(gz).padStart(8)} B gzip ${String(br).padStart(8)} B brotli`);
    }' "$@"
}

summary() {
  say "summary"
  echo "  dateline:   $DATELINE"
  echo "  index:      $DATA/index.dtl"
  echo "  wasm + JS:  $PKG/"
  sizes_of www/index.html www/style.css www/app.bundle.js www/app.js www/app/*.js www/dates.js www/highlight.js \
    www/dateline.js www/pkg/dateline.js www/pkg/dateline_bg.wasm www/data/index.dtl \
    www/dateline-element.js www/dateline-element.css www/dist/dateline.html
  # The index gzip -9 ÷ its entries' text gzip -9 (`dateline build` prints it).
  grep -h "entries' text gzip" "$TARGET_DIR/index-build.txt" 2>/dev/null | sed 's/^/  /' || true
  echo "  serve it:   ./build.sh serve   (or: $DATELINE serve www --port 8080)"
}

# The sharded explorer over the largest synthetic corpus `dateline bench`
# cached (1M entries by default), in headless Chromium.
bench_sharded() {
  local cache="$TARGET_DIR/bench-corpora" corpus="" site="$TARGET_DIR/bench-sharded-site"
  for n in 1000000 100000 1000; do
    if [ -f "$cache/synth-$n-seed1/manifest.toml" ]; then corpus="$cache/synth-$n-seed1"; break; fi
  done
  if [ -z "$corpus" ]; then say "no synthetic corpus cached: skipping the sharded browser benchmark"; return 0; fi
  say "sharded browser benchmark on $corpus (tests/e2e/bench-shards.mjs)"
  rm -rf "$site" && mkdir -p "$site"
  cp -r www/index.html www/app.bundle.js www/app.js www/app www/dates.js www/highlight.js www/style.css www/dateline.js \
    www/favicon.svg www/pkg "$site/"
  "$DATELINE" build --manifest "$corpus/manifest.toml" --out "$site/data" --shards always
  for q in zelenskyy kharkiv; do
    (cd "$E2E" && node bench-shards.mjs --dir "$site" --label "$(basename "$corpus")" --first "$q")
  done
}

# The .br and .gz copies beside each asset under www/, which `dateline serve`
# sends to browsers that accept them. Last, once every asset is in place;
# each run rewrites them all and removes those whose asset is gone.
build_compressed() {
  say "writing the precompressed copies (.br, .gz) under www/"
  "$DATELINE" compress www
}

build_all() {
  ensure_rust_tools
  ensure_node_packages
  build_native
  build_index "$@"
  build_wasm
  build_page_bundle
  build_single_file "$@"
  build_compressed
}

# --- subcommands ---------------------------------------------------------------

# The npm packages of benches/peers (Pagefind and the other peers, pinned in
# its lockfile): npm ci, only when missing or the lockfile changed.
PEERS=$ROOT/benches/peers
ensure_peers_packages() {
  if [ ! -f "$PEERS/node_modules/.package-lock.json" ] ||
     [ "$PEERS/package-lock.json" -nt "$PEERS/node_modules/.package-lock.json" ]; then
    say "installing the npm packages of benches/peers (npm ci)"
    (cd "$PEERS" && npm ci --no-audit --no-fund)
  fi
}

# --- bench-peers: Dateline beside Pagefind, MiniSearch, FlexSearch and Lunr ----
#   ./build.sh bench-peers [--sizes default,10k,100k,1m] [--tools a,b] [--rounds N]
# Builds Dateline as `./build.sh` does, installs the pinned npm packages of
# benches/peers (npm ci, only when missing or the lockfile changed), then runs
# benches/peers/peers.mjs: same corpora, same queries typed key by key, in
# headless Debian Chromium. Writes docs/peers.md (its generated block) and
# docs/peers.svg; raw figures and cached corpora in benches/peers/work/.
if [ "${1:-}" = bench-peers ]; then
  shift
  ensure_chromium
  build_all
  ensure_peers_packages
  say "Dateline and its peers (benches/peers/peers.mjs)"
  cd "$PEERS" && DATELINE_BIN="$DATELINE" exec node peers.mjs "$@"
fi
# --- end of bench-peers ---------------------------------------------------------

cmd=build
case "${1:-}" in
  build|serve|test|bench|sizes) cmd=$1; shift ;;
  -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac

case "$cmd" in
  build)
    build_all "$@"
    summary
    ;;

  serve)
    port=8080 host=127.0.0.1 input=()
    while [ $# -gt 0 ]; do
      case "$1" in
        --port) port=${2:?--port needs a number}; shift 2 ;;
        --port=*) port=${1#--port=}; shift ;;
        --host) host=${2:?--host needs an address}; shift 2 ;;
        --host=*) host=${1#--host=}; shift ;;
        --manifest) input+=("$1" "${2:?--manifest needs a path}"); shift 2 ;;
        --strict) input+=("$1"); shift ;;
        -*) die "unknown argument to serve: $1 (use --port N, --host H, --manifest PATH, --strict, FILE...)" ;;
        *) input+=("$1"); shift ;;
      esac
    done
    build_all "${input[@]}"
    summary
    exec "$DATELINE" serve www --port "$port" --host "$host"
    ;;

  test)
    ensure_chromium
    build_all "$@"
    lint
    say "native tests (cargo test)"
    cargo test
    say "wasm tests in headless Chromium (wasm-bindgen-test)"
    CHROMEDRIVER=/usr/bin/chromedriver \
    WASM_BINDGEN_USE_BROWSER=1 \
    WASM_BINDGEN_TEST_WEBDRIVER_JSON="$ROOT/tests/webdriver.json" \
    WASM_BINDGEN_TEST_TIMEOUT=120 \
      cargo test --target "$WASM_TARGET" --no-default-features --test wasm
    say "the page's modules in node: highlighting and dates (tests/e2e/modules.test.mjs, dates-fast.test.mjs)"
    (cd "$E2E" && node --test modules.test.mjs dates-fast.test.mjs)
    say "end-to-end tests in headless Chromium (node --test, playwright-core)"
    (cd "$E2E" && DATELINE_BIN="$DATELINE" node --test --test-concurrency=1 e2e.test.mjs)
    say "the page as a reader meets it: phone, keyboard, no results, entry view, axe (tests/e2e/reader.test.mjs)"
    (cd "$E2E" && DATELINE_BIN="$DATELINE" node --test --test-concurrency=1 reader.test.mjs)
    say "embedding tests: element, iframe, single file, publish (tests/e2e/embed.test.mjs)"
    (cd "$E2E" && DATELINE_BIN="$DATELINE" node --test --test-concurrency=1 embed.test.mjs)
    say "hostile corpus: markup and script in captures stay text (tests/e2e/hostile.test.mjs)"
    (cd "$E2E" && DATELINE_BIN="$DATELINE" node --test --test-concurrency=1 hostile.test.mjs)
    say "sharded index: the corpus in hundreds of shards, fetched on demand (tests/e2e/sharded.test.mjs)"
    (cd "$E2E" && DATELINE_BIN="$DATELINE" node --test --test-concurrency=1 sharded.test.mjs)
    say "dateline serve: fresh loads, compressed assets (tests/e2e/serve.test.mjs)"
    (cd "$E2E" && DATELINE_BIN="$DATELINE" node --test --test-concurrency=1 serve.test.mjs)
    say "the page's load: no Intl before the first results (tests/e2e/load.test.mjs)"
    (cd "$E2E" && DATELINE_BIN="$DATELINE" node --test --test-concurrency=1 load.test.mjs)
    say "other archives: a feed, a JSON Lines export, HTML pages (tests/e2e/archives.test.mjs)"
    (cd "$E2E" && DATELINE_BIN="$DATELINE" node --test --test-concurrency=1 archives.test.mjs)
    fuzz_smoke
    ;;

  bench)
    ensure_chromium
    build_all "$@"
    if "$DATELINE" bench --help >/dev/null 2>&1; then
      say "engine benchmark (dateline bench)"
      "$DATELINE" bench || say "dateline bench failed (see above); going on with the browser benchmark"
      say "ingest throughput per format (dateline bench --ingest, 100k posts each)"
      "$DATELINE" bench --ingest --ingest-size 100000 || say "dateline bench --ingest failed (see above); going on"
    fi
    say "browser benchmark: first visit, floor and Pagefind, keystrokes (tests/e2e/bench.mjs)"
    ensure_peers_packages
    (cd "$E2E" && DATELINE_BIN="$DATELINE" node bench.mjs)
    bench_sharded
    ;;

  sizes)
    ensure_rust_tools
    ensure_node_packages
    say "wasm size by opt-level (after wasm-bindgen + wasm-opt ${WASM_OPT_FLAGS[*]})"
    results=()
    for level in 3 s z; do
      build_wasm "$level"
      raw=$(wc -c < "$TARGET_DIR/$WASM_TARGET/wasm/dateline.wasm")
      results+=("opt-level=$level: cargo output $raw B; after wasm-opt:$(sizes_of www/pkg/dateline_bg.wasm | sed 's/^ *www\/pkg\/dateline_bg.wasm *//')")
    done
    printf '  %s\n' "${results[@]}"
    build_wasm # back to the profile's own setting
    ;;
esac
