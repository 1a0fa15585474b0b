#!/bin/sh
# python.install: pip-install bindings/python into a temporary venv, offline and with the
# interpreter's own setuptools (--no-build-isolation), then import it and run the Python
# walkthrough from the venv. Exits 77 (skipped) when venv or pip is not available.
# Usage: install.sh PYTHON SOURCE_DIR LIBRARY
set -eu
python=$1 source=$2 library=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! "$python" -m venv --system-site-packages "$tmp/venv" >"$tmp/venv.log" 2>&1 &&
   ! "$python" -m venv --system-site-packages --without-pip "$tmp/venv" >>"$tmp/venv.log" 2>&1; then
    cat "$tmp/venv.log"
    echo "python.install: skipped, $python cannot make a venv (Debian: python3-venv)"
    exit 77
fi
venv_python=$tmp/venv/bin/python
if ! "$venv_python" -m pip --version >/dev/null 2>&1; then
    echo "python.install: skipped, no pip for $python (Debian: python3-pip)"
    exit 77
fi

# Build from a copy: pip builds local folders in place (build/, *.egg-info).
cp -R "$source/bindings/python" "$tmp/src"
rm -rf "$tmp/src/build" "$tmp/src"/*.egg-info
"$venv_python" -m pip install --no-build-isolation --no-index --no-deps --quiet "$tmp/src"

cd "$tmp"
export TIERGRAPH_LIBRARY="$library"
unset PYTHONPATH
"$venv_python" -c '
import sys, tiergraph
where = tiergraph.__file__
assert where.startswith(sys.prefix), f"imported {where}, not the installed package"
print(f"installed tiergraph {tiergraph.__version__} at {where}")
print(f"loaded {tiergraph.library_path} (libtiergraph {tiergraph.library_version})")
'
"$venv_python" "$source/examples/python/walkthrough.py" >"$tmp/walkthrough.log" || {
    cat "$tmp/walkthrough.log"
    exit 1
}
tail -n 1 "$tmp/walkthrough.log"
