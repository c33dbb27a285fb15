#!/usr/bin/env sh
# Set-up and everyday tasks on a fresh machine (needs only python3 and pip).
#   ./dev.sh plan [stack] [options]   offline plan of a stack (default: dev), e.g. ./dev.sh plan dev --project 1
#   ./dev.sh test           lint (ruff), type check (mypy), docs site (mkdocs --strict) and tests (pytest)
#   ./dev.sh bench [n ...]  plan benchmark with n generated projects (default: 10 100 300)
# The virtual environment .venv is created on first use and refreshed when pyproject.toml changes.
set -eu
cd "$(dirname "$0")"
VENV=.venv
STAMP="$VENV/.installed-$(python3 -c 'import hashlib,sys;print(hashlib.sha256(open("pyproject.toml","rb").read()).hexdigest()[:12])')"

if [ ! -f "$STAMP" ]; then
    echo "setting up $VENV (first run: a few minutes, it downloads the pinned dependencies)..." >&2
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev]'
    rm -f "$VENV"/.installed-*
    touch "$STAMP"
fi

task="${1:-}"
[ $# -gt 0 ] && shift
case "$task" in
    plan)
        # The stack is the first argument unless that is an option: ./dev.sh plan --access plans dev.
        stack=dev
        if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
            stack="$1"
            shift
        fi
        exec "$VENV/bin/aifactory" plan "$stack" "$@" ;;
    test)
        "$VENV/bin/ruff" check --no-cache .
        "$VENV/bin/ruff" format --no-cache --check .
        "$VENV/bin/mypy"
        NO_MKDOCS_2_WARNING=1 "$VENV/bin/mkdocs" build --strict --quiet --site-dir "${TMPDIR:-/tmp}/aifactory-site"
        exec "$VENV/bin/pytest" "$@" ;;
    bench)
        exec "$VENV/bin/python" benchmarks/plan_benchmark.py "$@" ;;
    *)
        echo "usage: ./dev.sh plan [stack] [plan options] | test [pytest options] | bench [projects]" >&2
        exit 2 ;;
esac
