#!/usr/bin/env bash
# Build the Linux bundle: dist/probation-diary/probation-diary (a PyInstaller "onedir" folder).
#     packaging/build-linux.sh            (from anywhere; about 1-2 minutes)
# Uses the project's .venv (made by scripts/bootstrap.sh, as ./test does) and installs
# PyInstaller into it. Then checks the result: --version and --self-test, offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
PYINSTALLER_VERSION="${PYINSTALLER_VERSION:-6.22.3}"
if ! "$VENV/bin/python" -c "import PyInstaller, sys; sys.exit(PyInstaller.__version__ != '$PYINSTALLER_VERSION')" 2>/dev/null; then
    echo "Installing PyInstaller $PYINSTALLER_VERSION into $VENV..." >&2
    "$VENV/bin/python" -m pip install -q "pyinstaller==$PYINSTALLER_VERSION" >&2
fi
DIST="${PROBATION_DIARY_DIST:-dist}"
WORK="${PROBATION_DIARY_WORK:-build/pyinstaller}"
export PROBATION_DIARY_ICON_DIR="$PWD/build/icons"
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" packaging/make_icons.py "$PROBATION_DIARY_ICON_DIR" >/dev/null
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" packaging/probation-diary.spec
BUNDLE="$DIST/probation-diary"
cp packaging/linux/probation-diary.desktop "$BUNDLE/"
cp build/icons/probation-diary.png "$BUNDLE/probation-diary.png"
cp packaging/linux/install-user.sh "$BUNDLE/"
# Check it, the way a practitioner's machine would run it (no display needed).
QT_QPA_PLATFORM=offscreen "$BUNDLE/probation-diary" --version
QT_QPA_PLATFORM=offscreen "$BUNDLE/probation-diary" --self-test >/dev/null
echo "Built $BUNDLE ($(du -sh "$BUNDLE" | cut -f1)); its self-test passed."
