#!/usr/bin/env bash
# Build the standalone bundle dist/gdstudio/ (PyInstaller, one folder; start it with dist/gdstudio/gdstudio).
#   bash packaging/build.sh              uses .venv/bin/python if it exists, else python3
#   PYTHON=/path/to/python bash packaging/build.sh
# Needs the build extra: .venv/bin/pip install -e '.[build]'
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
if ! "$PYTHON" -c "import PyInstaller, PySide6, pyqtgraph, numpy" 2>/dev/null; then
    echo "build.sh: $PYTHON lacks PyInstaller or gdstudio's dependencies; run: $PYTHON -m pip install -e '.[build]'" >&2
    exit 1
fi

start=$SECONDS
echo "== build.sh: translations (.ts -> .qm)"
"$PYTHON" packaging/build_translations.py

echo "== build.sh: PyInstaller ($("$PYTHON" -m PyInstaller --version))"
rm -rf dist/gdstudio
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/gdstudio.spec

# The interpreter's own libraries (pyenv and source builds) keep their debug info: ~20 MB of it in libpython.
# Only those are stripped: stripping wheels' libraries (numpy's OpenBLAS) breaks them.
if command -v strip >/dev/null; then
    internal=dist/gdstudio/_internal
    shopt -s nullglob
    for lib in "$internal"/libpython3*.so* "$internal"/python3*/lib-dynload/*.so; do
        [[ -L "$lib" ]] || strip --strip-debug "$lib"
    done
    shopt -u nullglob
fi

echo "== build.sh: check"
QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}" dist/gdstudio/gdstudio --version
echo "bundle: dist/gdstudio ($(du -sh dist/gdstudio | cut -f1)), built in $((SECONDS - start)) s"
