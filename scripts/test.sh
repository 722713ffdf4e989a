#!/usr/bin/env bash
# Test orchestration, called by `make test` (which first installs the `test` extra
# into .venv). Steps:
#   1. apt-get install chromium / postgresql when missing (sudo only when not root)
#   2. start a throwaway PostgreSQL (scripts/pg-test-server.sh), always stopped on exit
#   3. .venv/bin/python -m pytest $PYTEST_ARGS "$@"
# pytest's exit code 5 ("no tests collected") counts as success.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "test.sh: $*" >&2; }

VPY=.venv/bin/python
[[ -x $VPY ]] || { log "missing $VPY — run 'make test' (or 'make venv test-deps') first"; exit 1; }

# ---- 1. system packages -------------------------------------------------------
SUDO=()
if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" apt-get install -y "${missing[@]}"
fi

# ---- 2. throwaway PostgreSQL ---------------------------------------------------
cleanup() { scripts/pg-test-server.sh stop || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

scripts/pg-test-server.sh start
CATALOGUS_TEST_POSTGRES_URL=$(scripts/pg-test-server.sh url)
export CATALOGUS_TEST_POSTGRES_URL
log "CATALOGUS_TEST_POSTGRES_URL=$CATALOGUS_TEST_POSTGRES_URL"

# ---- 3. pytest -----------------------------------------------------------------
# PYTEST_ARGS is split like shell words, so quoting works: PYTEST_ARGS='-k "a and b"'.
eval "pytest_args=(${PYTEST_ARGS:-})"

set +e
"$VPY" -m pytest "${pytest_args[@]}" "$@"
rc=$?
set -e

if [[ $rc -eq 5 ]]; then
  log "pytest collected no tests (exit 5); treating as success"
  rc=0
fi
exit "$rc"
