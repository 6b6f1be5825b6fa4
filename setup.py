"""Installs the repository's top-level folders as one ``chipwire`` namespace.

Everything else about the project is in pyproject.toml; only the package list lives
here, because it is computed: every folder under pipeline/, models/, spiders/,
reports/ and migrations/ (code and data alike) becomes ``chipwire.<folder>...``,
so a new sub-package or data folder cannot be left out of the wheel by mistake.
``chipwire`` itself is an implicit namespace package with no folder of its own.
"""

from setuptools import find_namespace_packages, setup

FOLDERS = ("pipeline", "models", "spiders", "reports", "migrations")

setup(
    package_dir={f"chipwire.{folder}": folder for folder in FOLDERS},
    packages=[
        f"chipwire.{package}"
        for package in find_namespace_packages(
            include=[f"{folder}*" for folder in FOLDERS], exclude=["*__pycache__"]
        )
    ],
)
