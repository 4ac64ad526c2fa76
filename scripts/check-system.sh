#!/usr/bin/env bash
# Checks the system packages that pip cannot install, and says how to get each one.
set -u
python=${1:-python3}
missing=()

if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (found: $("$python" --version 2>&1))." >&2
  exit 1
fi
"$python" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
# WeasyPrint draws text with Pango (1.44 or newer).
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || missing+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || missing+=(libpangoft2-1.0-0)
# compilemessages needs msgfmt.
command -v msgfmt >/dev/null || missing+=(gettext)

if ((${#missing[@]})); then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
