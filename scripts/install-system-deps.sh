#!/usr/bin/env bash
# Installs the Debian packages the test suite needs and a fresh machine lacks:
# chromium (Playwright E2E runs Debian's browser; Playwright's own download is not reachable here),
# postgresql (the HQ tests run initdb/pg_ctl themselves on a private temp cluster; no service needed),
# poppler-utils (receipt tests read the printed PDF's text with pdftotext).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then
  echo "system deps: all present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "system deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
