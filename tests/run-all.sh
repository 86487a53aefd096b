#!/usr/bin/env bash
# Runs every test of the portal: unit + host, bUnit component, and end-to-end (Chromium) tests.
# Installs what is missing first, on Debian-like systems: Chromium (browser tests) and PostgreSQL (multi-instance store);
# then the test OpenID Connect provider's npm packages (needs Node.js and npm).
# Usage: bash tests/run-all.sh   (extra arguments go to 'dotnet test', e.g. --filter ...)
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x "${PORTAL_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || [ -n "${PORTAL_POSTGRES_BIN:-}" ] || missing+=(postgresql)

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "Installing ${missing[*]} from the system's packages..."
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "!!! Not a Debian-like system: install ${missing[*]} yourself (see README)." >&2
  fi
fi

if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || [ -n "${PORTAL_POSTGRES_BIN:-}" ]; then
  # PostgreSQL is here, so its tests must run, never skip.
  export PORTAL_REQUIRE_POSTGRES=1
else
  echo "!!! PostgreSQL could not be installed: the PostgreSQL store tests will be SKIPPED. !!!" >&2
fi

# The sign-in tests start a real OpenID Connect provider (npm oidc-provider, pinned in tests/oidc-provider): install its
# packages from the lock file when they are missing or the lock changed since the last install.
provider_dir=tests/oidc-provider
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "!!! Node.js and npm are required: the sign-in tests run the OpenID Connect provider in $provider_dir (install nodejs and npm). !!!" >&2
  exit 1
fi
if [ ! -d "$provider_dir/node_modules" ] || ! cmp -s "$provider_dir/package-lock.json" "$provider_dir/node_modules/.package-lock.json.installed"; then
  echo "Installing the test OpenID Connect provider's packages (npm ci)..."
  (cd "$provider_dir" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$provider_dir/package-lock.json" "$provider_dir/node_modules/.package-lock.json.installed"
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test Portal.sln -c Release "$@" 2>&1 | tee "$log" || status=$?

# One plain summary line over all test projects ('dotnet test' prints one line per project).
awk '/^(Passed|Failed)! +- Failed: /{
  gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
  END { printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
