#!/usr/bin/env bash
# Install the Debian packages chiso needs to build and test. Idempotent:
# does nothing when everything is already installed.
#   scripts/deps.sh            build + test dependencies
#   scripts/deps.sh --extras   also R with the survey package (reference
#                              outputs), chromium with its driver and
#                              python3-selenium (browser tests of the
#                              dashboard) and wrk (bench/serve.sh)
set -euo pipefail
packages=(build-essential pkg-config clang
  libsqlite3-dev sqlite3 libjansson-dev libxlsxwriter-dev libexpat1-dev
  libzip-dev zlib1g-dev libutf8proc-dev libmicrohttpd-dev libssl-dev libsodium-dev
  libcmocka-dev curl libreadstat-dev
  libcairo2-dev libpango1.0-dev librsvg2-dev fonts-noto-core poppler-utils)
# fuzzing (make fuzz, fuzz/README.md): libFuzzer and the sanitizer runtimes
packages+=(libfuzzer-14-dev libclang-rt-14-dev)
if [ "${1:-}" = "--extras" ]; then
  packages+=(chromium r-base-core r-cran-survey chromium-driver python3-selenium wrk
             r-cran-haven readstat)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#packages[@]} packages already installed"
  exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
