# Sourced by ./run and ./test: makes .venv with the project and its test tools installed,
# and re-installs when pyproject.toml changes.
VENV="${PROBATION_DIARY_VENV:-.venv}"
PY="${PYTHON:-python3}"
stamp="$VENV/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
if [ ! -f "$stamp" ]; then
    echo "Setting up $VENV (first run only)..." >&2
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip >&2
    "$VENV/bin/python" -m pip install --quiet -e ".[test]" >&2
    rm -f "$VENV"/.installed-*
    touch "$stamp"
fi
