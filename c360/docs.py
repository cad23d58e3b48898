"""`c360 docs`: the dbt documentation of the published warehouse (every mart and column, with
its description and type), generated as one static page and served on 127.0.0.1."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import tempfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from c360.config import Config
from c360.warehouse import WarehousePaths, current_file

PAGE = "static_index.html"


def docs_dir(config: Config) -> Path:
    return config.warehouse_dir / "docs"


def generate(config: Config) -> Path:
    """Run `dbt docs generate --static` against the current publish; returns the page.

    dbt opens its database read-write and a publish is a read-only file that readers share, so
    the catalog is read from a private copy, deleted afterwards."""
    # Dagster and dbt: 3 s to import, for this command only (c360.cli imports this module)
    from pipelines.dbt import DBT_PROJECT_DIR, dbt_executable, dbt_vars

    published = current_file(WarehousePaths(config.warehouse_dir))
    out = docs_dir(config)
    out.mkdir(mode=0o700, parents=True, exist_ok=True)  # like everything a night writes: private
    with tempfile.TemporaryDirectory(dir=config.warehouse_dir, prefix=".docs-") as tmp:
        copy = Path(tmp) / "catalog.duckdb"
        shutil.copyfile(published, copy)
        os.chmod(copy, 0o600)
        result = subprocess.run(
            [
                dbt_executable(),
                "docs",
                "generate",
                "--static",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--target-path",
                str(out),
                "--vars",
                json.dumps(dbt_vars(config)),
            ],
            env={**os.environ, "C360_WORK_DB": str(copy)},
            capture_output=True,
            text=True,
        )
    if result.returncode != 0:
        raise RuntimeError(f"dbt docs generate failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")
    return out / PAGE


def serve(folder: Path, port: int) -> None:
    """Serve the generated page on 127.0.0.1 until interrupted."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"c360: docs on http://127.0.0.1:{server.server_address[1]}/{PAGE} (Ctrl+C stops)", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
