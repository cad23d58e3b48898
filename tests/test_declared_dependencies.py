"""`make lint` runs deptry: the dependencies pyproject.toml declares and the modules the code
imports agree. Here on a copy of the project's code and pyproject.toml: as it is, deptry finds
nothing; with a dependency the code imports left out, it fails naming the module."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = [
    "c360",
    "benchmarks",
    "connectors",
    "dashboards",
    "data_quality",
    "demo",
    "identity",
    "pipelines",
    "scoring",
]


def deptry(project: Path) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).parent / "deptry"
    return subprocess.run([str(executable), "--no-ansi", "."], cwd=project, capture_output=True, text=True, check=False)


def copy_of_the_code(tmp_path: Path, pyproject: str) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    for package in PACKAGES:
        shutil.copytree(ROOT / package, project / package, ignore=shutil.ignore_patterns("__pycache__", "results"))
    (project / "pyproject.toml").write_text(pyproject)
    return project


def test_the_declared_dependencies_match_the_imports(tmp_path):
    result = deptry(copy_of_the_code(tmp_path, (ROOT / "pyproject.toml").read_text()))
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_imported_module_left_undeclared_fails_naming_it(tmp_path):
    pyproject = (ROOT / "pyproject.toml").read_text()
    declared = '    "phonenumbers>=8.13,<10",\n'
    assert declared in pyproject
    result = deptry(copy_of_the_code(tmp_path, pyproject.replace(declared, "")))
    assert result.returncode != 0
    # DEP001 where nothing installs it, DEP003 where another package pulls it in (as here)
    assert "'phonenumbers' imported but" in result.stdout + result.stderr
