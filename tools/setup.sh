#!/usr/bin/env bash
# Install everything sp-builder needs on a fresh Debian/Ubuntu machine: LibreOffice (PDF path),
# the fonts its layouts assume, poppler-utils (page previews), Graphviz (drawn bagan alir), Chromium
# (browser tests, driven by Playwright's Python package; no `playwright install`), Tesseract with its
# Indonesian data (import --ocr), then the package with its test extras.
# Root installs system packages with apt; others get sudo when it exists, else a clear stop.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libreoffice-writer-nogui fonts-liberation2 fonts-crosextra-carlito fonts-crosextra-caladea
              fonts-urw-base35 poppler-utils fontconfig graphviz chromium tesseract-ocr tesseract-ocr-ind)

missing_system() {
  command -v soffice >/dev/null 2>&1 || return 0
  command -v pdftoppm >/dev/null 2>&1 || return 0
  command -v fc-list >/dev/null 2>&1 || return 0
  command -v neato >/dev/null 2>&1 || return 0
  command -v chromium >/dev/null 2>&1 || return 0
  command -v tesseract >/dev/null 2>&1 || return 0  # import --ocr, with its Indonesian data
  local langs fonts
  langs=$(tesseract --list-langs 2>&1)
  grep -qx ind <<<"$langs" || return 0
  fonts=$(fc-list)  # not piped into grep -q: under pipefail an early exit of grep fails the pipe
  for font in "Liberation Sans" "Carlito" "Caladea" "URW Bookman"; do
    grep -qi "$font" <<<"$fonts" || return 0
  done
  return 1
}

if missing_system; then
  if [ "$(id -u)" -eq 0 ]; then apt_get=(apt-get); elif command -v sudo >/dev/null 2>&1; then apt_get=(sudo apt-get);
  else
    echo "galat: LibreOffice dan fon belum terpasang dan akun ini bukan root; pasang: ${APT_PACKAGES[*]}" >&2
    exit 1
  fi
  echo "memasang paket sistem: ${APT_PACKAGES[*]}" >&2
  "${apt_get[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null
fi

python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
