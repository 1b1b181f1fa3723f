"""Packaging (issue 8).

The quick checks always run. The real build — a clean clone of this checkout's HEAD, a fresh
virtual environment, packaging/build-linux.sh, then the bundle's --version and --self-test with
no display — runs only with PROBATION_DIARY_BUILD_BUNDLE=1 (it takes a few minutes):

    PROBATION_DIARY_BUILD_BUNDLE=1 ./test tests/test_packaging.py
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from probation_diary import __version__

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
BUILD = os.environ.get("PROBATION_DIARY_BUILD_BUNDLE") == "1"


def test_desktop_file():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(PACKAGING / "linux" / "probation-diary.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Name"] == "Probation Diary"
    assert entry["Exec"].split()[0] == "probation-diary" and entry["Icon"] == "probation-diary"
    assert entry["Terminal"] == "false"
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(PACKAGING / "linux" / "probation-diary.desktop")], check=True)


def test_version_is_written_in_one_place_only():
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    for path in PACKAGING.rglob("*"):
        if path.is_file():
            assert __version__ not in path.read_text(encoding="utf-8", errors="replace"), path
    assert 'version = { attr = "probation_diary.__version__" }' in (ROOT / "pyproject.toml").read_text()


def test_icons_are_made_from_the_svg(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, str(PACKAGING / "make_icons.py"), str(tmp_path)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    png = (tmp_path / "probation-diary.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    ico = tmp_path / "probation-diary.ico"
    assert ico.exists() and ico.read_bytes()[:4] == b"\x00\x00\x01\x00"


def test_bundle_layout_matches_what_storage_looks_for():
    """storage.RESOURCES is Path(storage.__file__).parent.parent / 'resources'; in the bundle
    storage is _internal/probation_diary/storage.pyc, so the spec puts resources at _internal/resources."""
    spec = (PACKAGING / "probation-diary.spec").read_text()
    assert '(str(ROOT / "resources"), "resources")' in spec
    assert "onedir" in spec.splitlines()[0].lower() or "onedir" in spec.lower()


def _clean_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"))
    return env


@pytest.mark.slow
@pytest.mark.skipif(not BUILD, reason="set PROBATION_DIARY_BUILD_BUNDLE=1 to build the bundle (minutes)")
def test_bundle_builds_on_a_clean_checkout_and_passes_its_self_test(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True, timeout=300)
    env = dict(os.environ, PROBATION_DIARY_VENV=str(tmp_path / "venv"),
               PROBATION_DIARY_DIST=str(tmp_path / "dist"), PROBATION_DIARY_WORK=str(tmp_path / "work"))
    env.pop("VIRTUAL_ENV", None)
    build = subprocess.run(["bash", "packaging/build-linux.sh"], cwd=clone, env=env, capture_output=True,
                           text=True, timeout=1800)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]

    bundle = tmp_path / "dist" / "probation-diary"
    exe = bundle / "probation-diary"
    assert (bundle / "_internal" / "resources" / "activity-types.csv").is_file()
    assert (bundle / "probation-diary.desktop").is_file() and (bundle / "probation-diary.png").is_file()

    home = tmp_path / "home"
    home.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    version = subprocess.run([str(exe), "--version"], cwd=elsewhere, env=_clean_env(home),
                             capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert version.returncode == 0 and version.stdout.strip() == f"probation-diary {__version__}"
    selftest = subprocess.run([str(exe), "--self-test"], cwd=elsewhere, env=_clean_env(home),
                              capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert selftest.returncode == 0, selftest.stdout + selftest.stderr
    assert "Self-test passed" in selftest.stdout and "main window opens" in selftest.stdout
    assert not (home / "data" / "probation-diary").exists()  # the real diary is never touched

    size = subprocess.run(["du", "-sh", str(bundle)], capture_output=True, text=True).stdout.split()[0]
    print(f"\nbundle size: {size}")
