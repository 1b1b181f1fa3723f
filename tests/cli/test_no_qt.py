import subprocess
import sys


def test_cli_does_not_import_qt():
    code = ("import sys, probation_diary.cli.parser; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
