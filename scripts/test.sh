#!/usr/bin/env bash
# Test orchestration, called by `make test` (which first installs the `test` extra
# into .venv). Steps:
#   1. apt-get install chromium / postgresql when missing (sudo only when not root)
#   2. start a throwaway PostgreSQL on a free port (scripts/pg-test-server.sh), always stopped on exit
#   3. .venv/bin/python -m pytest -n <cores> --dist loadgroup $PYTEST_ARGS "$@"
#      (pytest-xdist: one worker per core, TEST_WORKERS=N to choose; PYTEST_ARGS='-n 0' runs in one process.
#      Tests that must share a worker carry @pytest.mark.xdist_group.)
# pytest's exit code 5 ("no tests collected") counts as success. (make test says how long it all took.)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { echo "test.sh: $*" >&2; }

VPY=.venv/bin/python
[[ -x $VPY ]] || { log "$VPY ontbreekt: gebruik 'make test' (of eerst 'make venv test-deps')"; exit 1; }

# ---- 1. system packages -------------------------------------------------------
SUDO=()
if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if ((${#missing[@]})); then
  log "Debian-pakketten installeren: ${missing[*]}"
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
# Workers first, so that a -n in PYTEST_ARGS (or on the command line) wins.
workers=${TEST_WORKERS:-$(nproc 2>/dev/null || echo 1)}

set +e
"$VPY" -m pytest -n "$workers" --dist loadgroup "${pytest_args[@]}" "$@"
rc=$?
set -e

if [[ $rc -eq 5 ]]; then
  log "pytest vond geen tests (exit 5); dat telt als geslaagd"
  rc=0
fi
exit "$rc"
