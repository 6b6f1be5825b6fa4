"""The wheel: one `chipwire` namespace holding the repository's folders, code and data alike.

A wheel's top-level entries are exactly what `pip install` puts into site-packages, so
reading the wheel checks the install without a second virtual environment.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

FOLDERS = ("pipeline", "models", "spiders", "reports", "migrations")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy: setuptools reuses ./build, where a module deleted since would linger.
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for folder in FOLDERS:
        skip = shutil.ignore_patterns("__pycache__")
        shutil.copytree(REPO / folder, source / folder, ignore=skip)
    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    result = subprocess.run(
        [*command, "--quiet", "--wheel-dir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (built,) = out.glob("chipwire-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _checkout_files(pattern: str) -> list[Path]:
    return [
        path.relative_to(REPO)
        for folder in FOLDERS
        for path in (REPO / folder).rglob(pattern)
        if "__pycache__" not in path.parts
    ]


def test_only_the_chipwire_namespace_is_installed(wheel_names: set[str]) -> None:
    tops = {name.split("/", 1)[0] for name in wheel_names}
    dist_info = {top for top in tops if top.endswith(".dist-info")}
    assert tops - dist_info == {"chipwire"}
    assert len(dist_info) == 1
    # A namespace, not a package: nothing else can ship a `chipwire/__init__.py` to clash with.
    assert "chipwire/__init__.py" not in wheel_names
    assert not any(name.split("/", 1)[0] in FOLDERS for name in wheel_names)


def test_every_module_and_data_file_of_the_folders_is_in_the_wheel(
    wheel_names: set[str],
) -> None:
    """A new sub-package missing from pyproject's package list would be left out silently."""
    wanted = [path for path in _checkout_files("*") if (REPO / path).is_file()]
    missing = sorted(str(path) for path in wanted if f"chipwire/{path}" not in wheel_names)
    assert not missing, f"not in the wheel (add them to pyproject.toml): {missing[:10]}"
    assert len(wanted) > 100  # the check saw the tree, not an empty glob


def test_console_script_points_into_the_namespace(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")]
        entry_points = archive.read(name).decode()
    assert "chipwire = chipwire.pipeline.cli:main" in entry_points.splitlines()
