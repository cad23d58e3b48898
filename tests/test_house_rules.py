"""What `make lint` checks beyond style, each run here on a copy of the project's code and
pyproject.toml so that breaking a rule on purpose touches nothing real:

- the layers (import-linter, the contracts in pyproject.toml): kept as the code is; broken, and
  named, by an import of the wiring from the ground floor or a cycle inside a package;
- the dependencies (deptry): those declared and the modules imported agree; a dependency the
  code imports, left out, fails naming the module."""

import ast
import os
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


def copy_of_the_code(tmp_path: Path, pyproject: str | None = None) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    for package in PACKAGES:
        shutil.copytree(ROOT / package, project / package, ignore=shutil.ignore_patterns("__pycache__", "results"))
    (project / "pyproject.toml").write_text(pyproject or (ROOT / "pyproject.toml").read_text())
    return project


def tool(name: str, project: Path, *args: str) -> subprocess.CompletedProcess:
    executable = Path(sys.executable).parent / name
    # the copy, not the installed project, is what the tool must find
    env = {**os.environ, "PYTHONPATH": str(project)}
    return subprocess.run([str(executable), *args], cwd=project, env=env, capture_output=True, text=True, check=False)


def add_line(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition("\nimport ")  # after the docstring and `from __future__`
    path.write_text(f"{head}\n{line}\nimport {rest}", encoding="utf-8")


# ------------------------------------------------------------------ layers (import-linter)


def test_the_code_keeps_both_contracts(tmp_path):
    result = tool("lint-imports", copy_of_the_code(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_the_ground_floor_importing_the_wiring_breaks_the_layers(tmp_path):
    project = copy_of_the_code(tmp_path)
    add_line(project / "c360" / "config.py", "import pipelines.nightly  # noqa")
    result = tool("lint-imports", project)
    assert result.returncode != 0
    assert "c360.config is not allowed to import pipelines" in result.stdout


def test_two_modules_of_a_package_importing_each_other_break_the_acyclic_contract(tmp_path):
    project = copy_of_the_code(tmp_path)
    add_line(project / "c360" / "privacy.py", "import c360.warehouse  # noqa")  # warehouse imports privacy
    result = tool("lint-imports", project)
    assert result.returncode != 0
    assert "No cycles are allowed in c360." in result.stdout


# ------------------------------------------------------------------ dependencies (deptry)


def test_the_declared_dependencies_match_the_imports(tmp_path):
    result = tool("deptry", copy_of_the_code(tmp_path), "--no-ansi", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_imported_module_left_undeclared_fails_naming_it(tmp_path):
    pyproject = (ROOT / "pyproject.toml").read_text()
    declared = '    "phonenumbers>=8.13,<10",\n'
    assert declared in pyproject
    result = tool("deptry", copy_of_the_code(tmp_path, pyproject.replace(declared, "")), "--no-ansi", ".")
    assert result.returncode != 0
    # DEP001 where nothing installs it, DEP003 where another package pulls it in (as here)
    assert "'phonenumbers' imported but" in result.stdout + result.stderr


# the marts published before the naming rule, and those the analyst contract names: analysts' SQL
# names them, so they keep their names
NAMED_BEFORE_THE_RULE = {
    "callcenter_daily",
    "callcenter_hourly",
    "dim_customer",
    "fct_touchpoints",
    "segment_family_matrix",
    "segment_movements",
    "touchpoints_daily",
    "order_fulfilment",
    "acquisition_funnel",
    "orders_daily",
    "open_promises",
    # named by the analyst contract (ARCHITECTURE.md)
    "action_queue",
    "open_opportunities",
}
# the word a mart of each department's folder starts with
MART_PREFIX = {
    "customers": "customer_",
    "call_center": "call_center_",
    "logistics": "logistics_",
    "sales": "sales_",
    "satisfaction": "satisfaction_",
    "service": "service_",
}


def test_every_model_is_named_by_its_layer_and_folder():
    """Staging `stg_<source>__<what>` in `staging/<source>/`, intermediate `int_<area>__<what>` in
    `intermediate/<area>/`, a new mart `<department word>_<what>` in `marts/<department>/` (README,
    "Layout")."""
    models = ROOT / "dbt_project" / "models"
    wrong = []
    for path in models.rglob("*.sql"):
        layer, folder = path.relative_to(models).parts[:2]
        name = path.stem
        if layer == "staging" and not name.startswith(f"stg_{folder}__"):
            wrong.append(str(path))
        elif layer == "intermediate" and not name.startswith(f"int_{folder}__"):
            wrong.append(str(path))
        elif layer == "marts" and name not in NAMED_BEFORE_THE_RULE and not name.startswith(MART_PREFIX[folder]):
            wrong.append(str(path))
    assert not wrong, wrong


LONGEST_FUNCTION = 80  # lines; a longer one says why in its docstring, after "Long because"


def python_sources() -> dict[str, str]:
    return {str(p.relative_to(ROOT)): p.read_text() for package in PACKAGES for p in (ROOT / package).rglob("*.py")}


def _functions(tree: ast.AST):
    return [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def imports_in_functions_without_a_reason(source: str) -> list[int]:
    """The lines of imports made inside a function with no comment saying why: neither on the
    import block's lines nor on the line above it (README, "Layout": only a heavy or optional
    dependency warrants one)."""
    lines = source.splitlines()
    bare = []
    for function in _functions(ast.parse(source)):
        block: list[ast.stmt] = []
        for statement in [*function.body, None]:
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                block.append(statement)
                continue
            if block:
                first, last = block[0].lineno, block[-1].end_lineno
                if not any("#" in line for line in lines[first - 2 : last]):
                    bare.append(first)
                block = []
    return bare


def long_functions_without_a_reason(source: str) -> list[str]:
    too_long = []
    for function in _functions(ast.parse(source)):
        length = function.end_lineno - function.lineno + 1
        if length > LONGEST_FUNCTION and "Long because" not in (ast.get_docstring(function) or ""):
            too_long.append(f"{function.name} ({length} lines)")
    return too_long


def test_an_import_inside_a_function_says_why():
    assert imports_in_functions_without_a_reason("def f():\n    import json\n    return json\n") == [2]
    reasoned = "def f():\n    # Dagster: 3 s to import, for this command only\n    import dagster\n\n    import dbt\n"
    assert imports_in_functions_without_a_reason(reasoned) == []
    bare = {
        path: lines
        for path, source in python_sources().items()
        if (lines := imports_in_functions_without_a_reason(source))
    }
    assert not bare, bare


def test_a_function_over_80_lines_says_why():
    body = "".join(f"    x{i} = {i}\n" for i in range(LONGEST_FUNCTION))
    assert long_functions_without_a_reason(f"def f():\n{body}") == [f"f ({LONGEST_FUNCTION + 1} lines)"]
    assert long_functions_without_a_reason(f'def f():\n    """Long because: one step."""\n{body}') == []
    long = {
        path: names for path, source in python_sources().items() if (names := long_functions_without_a_reason(source))
    }
    assert not long, long
