#!/usr/bin/env bash
# End-to-end tests of the ALF Workbench extension in a real VS Code (code-server), driven
# headless by Debian's chromium through playwright-core:
#
#   1. packages the .vsix (npm run package) and bundles the extension-host tests (test/ext);
#   2. generates a messy ALF tree with scripts/make-example-data.mjs;
#   3. scenario phases: test/e2e/scenario.mjs clicks through the extension as a user would
#      (Sessions view, Problems, quick fix, Build ONE Cache form, table editor), with screenshots;
#      then each test/e2e/scenarios/NAME.mjs in its own fresh workspace and code-server
#      (results scenario-NAME-results.json, screenshots NAME-NN-name.png);
#   4. extension-host phase: the mocha suites of test/ext run inside VS Code's extension host
#      against the installed .vsix, with the real `vscode` API.
#
# Usage: test/e2e/run.sh [--ext-tests-only | --scenario-only] [--only NAME] [--keep-tmp] [--no-package] [--sessions N]
#   --only NAME: of the scenario phases, run only scenarios/NAME.mjs ("main" for scenario.mjs).
# Output: test/e2e/out/ (screenshots NN-name.png, logs, timings.json, results.json).
# The last line is "e2e: N passed, M failed" (N and M count checks); exit status 0 only if M is 0.
#
# Environment: E2E_TOOLS_DIR (default ~/.cache/alf-workbench/e2e-tools: Node 24 + code-server, ~800 MB),
#   E2E_CHROMIUM (/usr/bin/chromium), E2E_TIMEOUT_S (per phase, 600), E2E_SCREENSHOTS_TO (also copy
#   the README screenshots there, e.g. media/screenshots), E2E_SCENARIO (another scenario module).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/out"
E2E_TOOLS="${E2E_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/alf-workbench/e2e-tools}"
TIMEOUT_S="${E2E_TIMEOUT_S:-600}"
RUN_SCENARIO=1 RUN_EXT=1 KEEP_TMP=0 PACKAGE=1 SESSIONS=24 ONLY=

while [ $# -gt 0 ]; do
  case "$1" in
    --ext-tests-only) RUN_SCENARIO=0; shift ;;
    --scenario-only) RUN_EXT=0; shift ;;
    --keep-tmp) KEEP_TMP=1; shift ;;
    --no-package) PACKAGE=0; shift ;;
    --sessions) SESSIONS="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "e2e: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

e2e_log() { printf '[e2e %s] %s\n' "$(date +%T)" "$*"; }
now_ms() { date +%s%3N; }
T_START=$(now_ms)
RUN_TMP="" CS_PID="" RUNNER_PID="" SUMMARY_DONE=0

stop_group() {  # $1: pid of a process-group leader started with setsid
  local pid="$1" i
  [ -n "$pid" ] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do kill -0 -- "-$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
}
on_exit() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$RUN_TMP" ]; then
    stop_group "$RUNNER_PID"
    if [ -f "$RUN_TMP/chromium.pids" ]; then for g in $(cat "$RUN_TMP/chromium.pids"); do stop_group "$g"; done; fi
    stop_group "$CS_PID"
    [ -f "$RUN_TMP/code-server.log" ] && cp "$RUN_TMP/code-server.log" "$OUT/code-server.log"
    if [ "$KEEP_TMP" = 1 ]; then e2e_log "kept $RUN_TMP"; else rm -rf "$RUN_TMP"; fi
  fi
  # Whatever stopped the run, CI gets its closing line.
  if [ "$SUMMARY_DONE" = 0 ]; then
    echo "e2e: the run stopped before its tests (exit $rc; see the messages above)"
    echo "e2e: 0 passed, 1 failed"
    [ "$rc" = 0 ] && rc=1
  fi
  exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM
# shellcheck source=lib/tools.sh
source "$HERE/lib/tools.sh"
install_e2e_tools
NODE24="$(node24_dir)/bin/node"
# code-server's launcher is `#!/usr/bin/env node` and needs Node 24: put it first on its PATH only.
code_server() { PATH="$(node24_dir)/bin:$PATH" "$(code_server_bin)" "$@"; }

mkdir -p "$OUT"
rm -f "$OUT"/*[0-9][0-9]-*.png "$OUT"/*.log "$OUT"/*.json "$OUT"/*failure*.png

# ------------------------------------------------------------------ build what is tested
cd "$PROJECT"
# ../shared (fixtures, one-cache-check) is optional: checks that need it skip with a reason.
SHARED_DIR=""
[ -d "$PROJECT/../shared/fixtures" ] && SHARED_DIR="$(cd "$PROJECT/../shared" && pwd)"
export E2E_SHARED_DIR="$SHARED_DIR"
VERSION="$(node -p "require('./package.json').version")"
VSIX="$PROJECT/alf-workbench-$VERSION.vsix"
if [ "$PACKAGE" = 1 ] || [ ! -f "$VSIX" ]; then
  e2e_log "packaging $(basename "$VSIX")"
  npm run --silent package > "$OUT/package.log" 2>&1 || { cat "$OUT/package.log"; exit 1; }
fi
e2e_log "bundling the extension-host tests"
node "$HERE/lib/build-ext-tests.mjs" "$OUT/ext-tests"

# ------------------------------------------------------------------ run directory
RUN_TMP="$(mktemp -d -t alf-e2e.XXXXXX)"

# code-server and chromium write into $HOME unless told otherwise: keep everything in RUN_TMP.
export XDG_CONFIG_HOME="$RUN_TMP/xdg/config" XDG_DATA_HOME="$RUN_TMP/xdg/data" XDG_CACHE_HOME="$RUN_TMP/xdg/cache"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$RUN_TMP/tmp"
export NODE_COMPILE_CACHE="$E2E_TOOLS/node-compile-cache"
USER_DATA="$RUN_TMP/user-data" EXTENSIONS="$RUN_TMP/extensions"
mkdir -p "$USER_DATA/User" "$EXTENSIONS"
: > "$RUN_TMP/config.yaml"
cp "$HERE/settings.json" "$USER_DATA/User/settings.json"
CS_ARGS=(--config "$RUN_TMP/config.yaml" --user-data-dir "$USER_DATA" --extensions-dir "$EXTENSIONS")

e2e_log "installing $(basename "$VSIX") into a throw-away extensions folder"
TMPDIR="$RUN_TMP/tmp" code_server "${CS_ARGS[@]}" --install-extension "$VSIX" > "$RUN_TMP/install.log" 2>&1 \
  && grep -q 'successfully installed' "$RUN_TMP/install.log" || { cat "$RUN_TMP/install.log"; exit 1; }
EXT_DIR="$(node -e '
  const fs = require("fs"), [dir, id] = process.argv.slice(1);
  const e = JSON.parse(fs.readFileSync(dir + "/extensions.json", "utf8")).find((x) => x.identifier.id.toLowerCase() === id);
  console.log(dir + "/" + e.relativeLocation);' "$EXTENSIONS" "alf-workbench.alf-workbench")"

make_workspace() {  # $1: folder to create; $2: the scenario module, which may add to it
  node "$HERE/lib/make-workspace.mjs" "$1" "$SESSIONS" ${2:+"$2"} > "$RUN_TMP/workspace.log" 2>&1 || { cat "$RUN_TMP/workspace.log"; exit 1; }
}

start_code_server() {  # $1: workspace; further args: extra code-server flags
  local ws="$1"; shift
  PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  BASE="http://127.0.0.1:$PORT"
  T_CS=$(now_ms)
  # The extension host inherits this environment: the ext-host tests read E2E_* from it.
  TMPDIR="$RUN_TMP/tmp" E2E_TEST_RESULTS="$OUT/ext-results.json" E2E_PROJECT_DIR="$PROJECT" E2E_SHARED_DIR="$SHARED_DIR" \
    PATH="$(node24_dir)/bin:$PATH" setsid "$(code_server_bin)" "${CS_ARGS[@]}" \
    --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check --disable-workspace-trust \
    --disable-getting-started-override --ignore-last-opened "$@" "$ws" >> "$RUN_TMP/code-server.log" 2>&1 &
  CS_PID=$!
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null "$BASE/healthz" && break
    kill -0 "$CS_PID" 2>/dev/null || { cat "$RUN_TMP/code-server.log"; echo "e2e: code-server exited" >&2; exit 1; }
    sleep 0.1
  done
  T_HTTP=$(now_ms)
  e2e_log "code-server on $BASE after $((T_HTTP - T_CS)) ms"
}

stop_code_server() { stop_group "$CS_PID"; CS_PID=""; }

run_driver() {  # args for lib/driver.mjs
  local rc
  set +e
  TMPDIR="$RUN_TMP" setsid timeout --kill-after=10 "$TIMEOUT_S" "$NODE24" "$HERE/lib/driver.mjs" \
    --base-url "$BASE" --out "$OUT" --pid-file "$RUN_TMP/chromium.pids" \
    --chromium "$E2E_CHROMIUM" --cs-start-ms "$T_CS" --http-ready-ms "$T_HTTP" "$@" &
  RUNNER_PID=$!
  wait "$RUNNER_PID"; rc=$?
  RUNNER_PID=""
  set -e
  return $rc
}

SCENARIO_STATUS=skip EXT_STATUS=skip
if [ "$RUN_SCENARIO" = 1 ]; then
  SCENARIO_STATUS=pass
  if [ -z "$ONLY" ] || [ "$ONLY" = main ]; then
    WS="$RUN_TMP/ws/alf-data"
    make_workspace "$WS"
    e2e_log "scenario phase on $(find "$WS" -type f | wc -l) files"
    start_code_server "$WS"
    run_driver --scenario "${E2E_SCENARIO:-$HERE/scenario.mjs}" --workspace "$WS" || SCENARIO_STATUS=fail
    stop_code_server
  fi
  for MODULE in "$HERE"/scenarios/*.mjs; do
    [ -f "$MODULE" ] || continue
    NAME="$(basename "$MODULE" .mjs)"
    [ -z "$ONLY" ] || [ "$ONLY" = "$NAME" ] || continue
    WS="$RUN_TMP/ws-$NAME/alf-data"
    make_workspace "$WS" "$MODULE"
    e2e_log "scenario phase $NAME"
    start_code_server "$WS"
    run_driver --scenario "$MODULE" --name "$NAME" --workspace "$WS" || SCENARIO_STATUS=fail
    stop_code_server
  done
fi
if [ "$RUN_EXT" = 1 ]; then
  WS="$RUN_TMP/ws-ext/alf-data"
  make_workspace "$WS"
  e2e_log "extension-host phase"
  # enable-smoke-test-driver: a built VS Code honours ?payload=extensionTestsPath only with it.
  start_code_server "$WS" --vscode-option enable-smoke-test-driver
  if run_driver --ext-tests "$OUT/ext-tests/index.js" --ext-dev-path "$EXT_DIR" --workspace "$WS"; then EXT_STATUS=pass; else EXT_STATUS=fail; fi
  stop_code_server
fi

if [ -n "${E2E_SCREENSHOTS_TO:-}" ]; then
  mkdir -p "$E2E_SCREENSHOTS_TO"
  for f in "$OUT"/*[0-9][0-9]-readme-*.png; do [ -f "$f" ] && cp "$f" "$E2E_SCREENSHOTS_TO/$(basename "$f" | sed 's/^.*[0-9][0-9]-readme-//')"; done
  # As palette PNGs (a third of the size): they are committed and packed in the .vsix.
  node "$PROJECT/scripts/compress-png.mjs" "$E2E_SCREENSHOTS_TO"/*.png > "$OUT/compress-png.log" 2>&1 || cat "$OUT/compress-png.log"
fi
e2e_log "done in $(( ($(now_ms) - T_START) / 1000 )) s; output in $OUT"
SUMMARY_DONE=1
node "$HERE/lib/summary.mjs" "$OUT" "$SCENARIO_STATUS" "$EXT_STATUS"
