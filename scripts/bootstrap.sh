# Sourced by ./run and ./test: makes .venv with the project and its test tools installed,
# and re-installs when pyproject.toml changes.
VENV="${PROBATION_DIARY_VENV:-.venv}"
PY="${PYTHON:-python3}"
stamp="$VENV/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
if [ ! -f "$stamp" ]; then
    echo "Setting up $VENV (first run only; a few minutes)..." >&2
    log="$(mktemp)"
    if ! { "$PY" -m venv "$VENV" && "$VENV/bin/python" -m pip install --upgrade pip \
            && "$VENV/bin/python" -m pip install -e ".[test]"; } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        echo "Setting up $VENV failed; the full log is $log" >&2
        exit 1
    fi
    rm -f "$log" "$VENV"/.installed-*
    touch "$stamp"
fi
