#!/usr/bin/env bash
# Set up bitsmith on Debian: the simulators and FPGA tools from apt (only what is missing), the npm
# packages from the lock file, the Python tools into .venv, then the main job: generate and verify
# the whole IP catalog into out/.
#   ./setup.sh            set up, then build and verify the catalog
#   ./setup.sh --no-build set up only
set -euo pipefail
cd "$(dirname "$0")"

# yosys: the native binary the area baselines (ip/baselines.json) are recorded with; chromium: the
# headless screenshot test of the catalog index page.
packages=(iverilog verilator nextpnr-ice40 fpga-icestorm yosys chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} with apt-get"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

node -e 'const [major] = process.versions.node.split("."); if (major < 20) { console.error(`setup: Node ${process.versions.node} is too old; bitsmith needs Node 20 or newer`); process.exit(1); }'
npm ci --no-audit --no-fund

# Python tools (requirements.txt, versions pinned) go into .venv beside this script; bitsmith finds them
# there by itself. Reinstalled only when requirements.txt changed since the last install.
if ! command -v python3 >/dev/null 2>&1; then
  echo "setup: python3 is missing: install it with \`apt-get install python3 python3-venv\`" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  if ! python3 -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    echo "setup: python3 cannot create a virtual environment (the venv module is missing):" \
      "install it with \`apt-get install python3-venv\` and run ./setup.sh again" >&2
    exit 1
  fi
fi
if ! cmp -s requirements.txt .venv/.requirements.txt; then
  echo "setup: installing requirements.txt into .venv"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
  cp requirements.txt .venv/.requirements.txt
fi

if [ "${1:-}" != "--no-build" ]; then
  node bin/bitsmith.js build --verify
fi
