"""Identity resolution at scale on this machine: time, peak memory, compared pairs, accuracy.

    python -m benchmarks.identity --copies 128 --json benchmarks/results/identity.json

The records are the demo company's own identity records (`int_identity__source_records`
after a nightly run of a `--customers` demo), tiled `--copies` times. Each copy is a distinct
company base: its record ids, CRM keys, e-mails, phones, web domains, street addresses and
registration numbers carry the copy's number, and company names a copy suffix in letters (two
companies of one name in one city do not exist). Person names are left as they are: at scale, namesakes are real,
and blocking must cope with them. The ground truth is tiled the same way, so precision and
recall are measured at full size, not assumed.

Resolution runs in a child process, so its peak memory (ru_maxrss) is its own."""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pa_csv

from c360.eval_identity import LEVELS, score_level

PER_COPY_COLUMNS = [
    "source_record_id",
    "crm_account_id",
    "crm_contact_id",
    "email",
    "phone_e164",
    "phone2_e164",
    "domain",
    "address",
    "registration_number",
]


def letters(n: int) -> str:
    """0 → 'a', 25 → 'z', 26 → 'ba': a copy suffix that survives the company-name key."""
    out = ""
    while True:
        n, r = divmod(n, 26)
        out = chr(97 + r) + out
        if n == 0:
            return out


def base_company(customers: int, seed: int, folder: Path) -> tuple[Path, Path]:
    """A demo company and one nightly run; returns the work database and the truth file."""
    # a night's Dagster and dbt and the demo's generator: seconds to import, for this part only
    from c360.config import load_config
    from c360.run import run_nightly
    from demo.generate import generate
    from demo.service_desk_api import serve

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    generate(folder, customers=customers, seed=seed, end=date(2026, 11, 18), api_port=port, log=lambda *_: None)
    os.environ.setdefault("C360_SERVICE_DESK_TOKEN", "demo-token")
    server = serve(folder / "service_desk", "127.0.0.1", port, os.environ["C360_SERVICE_DESK_TOKEN"], None)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        summary = run_nightly(load_config(folder / "c360.yml"))
    finally:
        server.shutdown()
    if not summary.success:
        raise SystemExit(f"benchmark: the demo's nightly run failed: {summary.failure}")
    return folder / "warehouse" / "work" / "c360.duckdb", folder / "ground_truth" / "identities.csv"


def tile(work_db: Path, truth_file: Path, copies: int, target: Path) -> int:
    con = duckdb.connect(str(work_db), read_only=True)
    records = con.sql("select * from intermediate.int_identity__source_records").to_arrow_table()
    con.close()
    truth = pa_csv.read_csv(
        truth_file,
        convert_options=pa_csv.ConvertOptions(
            column_types={
                c: pa.string()
                for c in ("source_system", "source_table", "source_record_id", "entity_type", "true_entity_id")
            }
        ),
    )
    out = duckdb.connect(str(target))
    out.execute("create schema intermediate")
    out.execute("create schema truth")
    for k in range(copies):
        suffix = f"~{k}"
        tiled = records
        for column in PER_COPY_COLUMNS:
            i = tiled.schema.get_field_index(column)
            tiled = tiled.set_column(
                i, column, pc.binary_join_element_wise(tiled[column].cast(pa.string()), pa.scalar(suffix), "")
            )
        i = tiled.schema.get_field_index("service_organization_id")
        tiled = tiled.set_column(
            i, "service_organization_id", pc.add(tiled["service_organization_id"], pa.scalar(k * 10**12, pa.int64()))
        )
        # company names get the copy's suffix; a person's own account (no domain) keeps the person's name
        is_company = pc.and_(pc.equal(records["record_kind"], "organization"), pc.is_valid(records["domain"]))
        renamed = pc.binary_join_element_wise(records["organization_name"], pa.scalar(" " + letters(k)), "")
        is_person_record = pc.equal(records["record_kind"], "person")
        tiled = tiled.set_column(
            tiled.schema.get_field_index("organization_name"),
            "organization_name",
            pc.if_else(pc.or_(is_company, is_person_record), renamed, records["organization_name"]),
        )
        tiled = tiled.set_column(
            tiled.schema.get_field_index("full_name"),
            "full_name",
            pc.if_else(is_company, renamed, records["full_name"]),
        )
        t = truth.set_column(
            2, "source_record_id", pc.binary_join_element_wise(truth["source_record_id"], pa.scalar(suffix), "")
        )
        t = t.set_column(4, "true_entity_id", pc.binary_join_element_wise(t["true_entity_id"], pa.scalar(suffix), ""))
        out.register("tile_frame", tiled)
        out.register("truth_frame", t)
        if k == 0:
            out.execute("create table intermediate.int_identity__source_records as select * from tile_frame")
            out.execute("create table truth.identities as select * from truth_frame")
        else:
            out.execute("insert into intermediate.int_identity__source_records select * from tile_frame")
            out.execute("insert into truth.identities select * from truth_frame")
        out.unregister("tile_frame")
        out.unregister("truth_frame")
    n = out.execute("select count(*) from intermediate.int_identity__source_records").fetchall()[0][0]
    out.close()
    return n


def resolve_child(db: Path, result_file: Path) -> None:
    """In the child: resolve, then write the figures (and the child's own peak memory)."""
    from identity.resolve import IdentitySettings, resolve  # in the child alone: its memory is what is measured

    con = duckdb.connect(str(db))
    started = time.perf_counter()
    summary = resolve(con, IdentitySettings(), "benchmark", lambda line: print(line, flush=True))
    seconds = time.perf_counter() - started
    runs = con.execute("select level, records, nodes, pairs_compared from identity.match_runs").fetchall()
    con.close()
    result_file.write_text(
        json.dumps(
            {
                "seconds": round(seconds, 1),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "customers": summary.customers,
                "persons": summary.persons,
                "levels": {level: {"records": r, "nodes": n, "pairs_compared": p} for level, r, n, p in runs},
            }
        )
    )


def accuracy(db: Path) -> dict:

    con = duckdb.connect(str(db))
    con.execute("create schema if not exists marts")
    con.execute("create or replace view marts.customer_identity_map as select * from identity.resolved_records")
    con.execute("create or replace temp table truth as select * from truth.identities")
    result = {level: score_level(con, entity_type, column) for level, (entity_type, column) in LEVELS.items()}
    con.close()
    return {level: {k: v for k, v in m.items() if k in ("precision", "recall", "f1")} for level, m in result.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000, help="customers of the demo company tiled")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--copies", type=int, default=128)
    parser.add_argument("--json", help="write the figures to this file too")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        db, out = args.child.split("|")
        resolve_child(Path(db), Path(out))
        return 0
    with tempfile.TemporaryDirectory(prefix="c360-identity-bench-") as tmp:
        tmp = Path(tmp)
        print(f"benchmark: demo company of {args.customers:,} customers and one nightly run ...", flush=True)
        work_db, truth_file = base_company(args.customers, args.seed, tmp / "company")
        print(f"benchmark: tiling its identity records {args.copies} times ...", flush=True)
        db = tmp / "records.duckdb"  # not identity.duckdb: the catalog would shadow schema identity
        records = tile(work_db, truth_file, args.copies, db)
        print(f"benchmark: resolving {records:,} records ...", flush=True)
        result_file = tmp / "result.json"
        subprocess.run([sys.executable, "-m", "benchmarks.identity", "--child", f"{db}|{result_file}"], check=True)
        figures = json.loads(result_file.read_text())
        figures["records"] = records
        figures["customers_equivalent"] = args.customers * args.copies
        pairs = sum(level["pairs_compared"] for level in figures["levels"].values())
        figures["pairs_compared"] = pairs
        figures["pairs_per_second"] = round(pairs / figures["seconds"]) if figures["seconds"] else None
        figures["accuracy"] = accuracy(db)
        figures["machine"] = f"{os.cpu_count()} cores"
        figures["measured_on"] = date.today().isoformat()
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
