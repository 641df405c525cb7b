#!/usr/bin/env bash
# An offline install of cyberdip (docs/offline-install.md).
#
#   scripts/wheelhouse.sh build [-o DIR] [--python-version X.Y] [--platform TAG]...
#       On a machine with the network: build cyberdip's wheel from this checkout and
#       download every wheel it needs, the PDF extra included, into DIR (default:
#       wheelhouse/). Without --python-version and --platform, for the Python running
#       this script on this machine; with them, for another (for example
#       --python-version 3.11 --platform manylinux2014_x86_64, or win_amd64,
#       macosx_11_0_arm64). Wheels only: nothing is compiled on the offline machine.
#
#   scripts/wheelhouse.sh install DIR VENV
#       On the machine with no network: make the virtual environment VENV and install
#       cyberdip with the PDF extra from DIR alone (pip --no-index, no configuration
#       file, no index, no other folder of wheels). Then run VENV/bin/cyberdip.
#
# PYTHON names the interpreter to use (default: python3).
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-python3}"

usage() {
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

build() {
  local out="wheelhouse" pyver="" target=()
  while [ $# -gt 0 ]; do
    case "$1" in
      -o) out="${2:?-o needs a folder}"; shift 2 ;;
      --python-version) pyver="${2:?--python-version needs a version such as 3.11}"; shift 2 ;;
      --platform) target+=(--platform "${2:?--platform needs a tag such as win_amd64}")
                  shift 2 ;;
      *) echo "wheelhouse.sh: unknown option $1" >&2; usage ;;
    esac
  done
  if [ -n "$pyver" ]; then
    local abi="cp${pyver/./}"
    target+=(--python-version "$pyver" --implementation cp --abi "$abi" --abi abi3
             --abi none)
  fi
  if [ "${#target[@]}" -gt 0 ] && [[ " ${target[*]} " != *" --platform "* ]]; then
    echo "wheelhouse.sh: --python-version needs --platform too (the target machine's)" >&2
    exit 2
  fi
  mkdir -p "$out"
  # cyberdip's own wheel: pure Python, the same for every platform (its build
  # dependencies, hatchling and babel, are needed here only, never offline)
  "$python" -m pip wheel --quiet --no-deps --wheel-dir "$out" "$here"
  local whl
  whl="$(ls -t "$out"/cyberdip-*.whl | head -n 1)"
  # every dependency, and the PDF extra's, as wheels for the target
  "$python" -m pip download --quiet --only-binary=:all: --dest "$out" \
    --find-links "$out" "${target[@]}" "$whl[pdf,word]"
  echo "wheelhouse.sh: $(ls "$out"/*.whl | wc -l) wheels in $out for $(basename "$whl")" >&2
}

install() {
  local house="${1:?usage: wheelhouse.sh install DIR VENV}"
  local venv="${2:?usage: wheelhouse.sh install DIR VENV}"
  local whl
  whl="$(ls -t "$house"/cyberdip-*.whl 2>/dev/null | head -n 1)"
  if [ -z "$whl" ]; then
    echo "wheelhouse.sh: no cyberdip wheel in $house; build it with 'wheelhouse.sh build'" >&2
    exit 2
  fi
  "$python" -m venv "$venv"
  # PIP_CONFIG_FILE=/dev/null: no pip.conf adds an index or another folder of wheels;
  # --isolated: no PIP_* variable does either. Only $house is looked at.
  PIP_CONFIG_FILE=/dev/null "$venv/bin/python" -m pip --isolated install --quiet \
    --disable-pip-version-check --no-index --find-links "$house" "$whl[pdf,word]"
  echo "wheelhouse.sh: installed $(basename "$whl") with the PDF extra into $venv" >&2
}

case "${1:-}" in
  build) shift; build "$@" ;;
  install) shift; install "$@" ;;
  *) usage ;;
esac
