"""The dbt project is portable: its staging, intermediate and mart layers build on Apache Spark
(dbt-spark in session mode, Spark running locally in this process) from the same sources, and
give the same marts, customer_360 above all, as the DuckDB build (`make test-slow`).

The sources Spark reads are the DuckDB run's: the raw layers, and what the night's Python steps
wrote (the working calendar, resolved identities, churn scores), copied over as Parquet."""

from __future__ import annotations

import json
import math
from datetime import datetime
from decimal import Decimal

import pytest

from tests.conftest import SESSION_AS_OF, c360, config_variant

pytestmark = [pytest.mark.slow, pytest.mark.integration]

AS_OF = SESSION_AS_OF  # both engines count rolling windows back from the moment the company is written at
SOURCE_SCHEMAS = ("raw_sales", "raw_service", "raw_logistics", "raw_call_center", "calendar", "identity", "scoring")


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    pytest.importorskip("pyspark", reason='Spark is the "spark" extra: pip install -e ".[spark]" (make test-slow)')
    from pyspark.sql import SparkSession

    folder = tmp_path_factory.mktemp("spark")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("c360-portability")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.warehouse.dir", str(folder / "warehouse"))
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    yield session, folder
    session.stop()


def copy_sources_to_spark(con, session, folder) -> int:
    """Every source table of the DuckDB build into a Spark table of the same schema and name."""
    from pyspark.sql import functions as F

    tables = con.execute(
        f"""select schema_name, table_name from duckdb_tables()
            where schema_name in {SOURCE_SCHEMAS} and not starts_with(table_name, '_dlt')"""
    ).fetchall()
    for schema, table in tables:
        parquet = folder / "sources" / f"{schema}.{table}.parquet"
        parquet.parent.mkdir(parents=True, exist_ok=True)
        con.execute(f'copy "{schema}"."{table}" to \'{parquet}\' (format parquet)')
        frame = session.read.parquet(str(parquet))
        # DuckDB's naive timestamps arrive as TIMESTAMP_NTZ; the project's SQL means UTC instants
        for column in frame.schema.fields:
            if column.dataType.typeName() == "timestamp_ntz":
                frame = frame.withColumn(column.name, F.col(column.name).cast("timestamp"))
        session.sql(f"create database if not exists {schema}")
        frame.write.mode("overwrite").saveAsTable(f"{schema}.`{table}`")
    return len(tables)


def rows_of(table) -> list[tuple]:
    """An Arrow table's rows, sorted, with timestamps as naive UTC (Spark's carry a zone)."""

    def plain(value):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value

    rows = [tuple(plain(v) for v in row.values()) for row in table.to_pylist()]
    return sorted(rows, key=lambda row: tuple((v is None, str(v)) for v in row))


def same_value(a, b) -> bool:
    """Equal, numbers to 1e-9: a ratio of literals is a DECIMAL on Spark and a DOUBLE on DuckDB,
    and sums of doubles may be added up in another order."""
    numbers = (float, int, Decimal)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        a, b = float(a), float(b)
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(a) and math.isnan(b))
    return a == b


def test_the_project_builds_on_spark_and_its_marts_equal_duckdbs(small_company, demo_api, spark, tmp_path, monkeypatch):
    import duckdb
    from dbt.cli.main import dbtRunner

    from c360.config import load_config
    from pipelines.dbt import DBT_PROJECT_DIR, dbt_vars

    config_file = config_variant(small_company, "c360-spark.yml", warehouse={"dir": str(tmp_path / "warehouse")})
    c360("run", "--config", str(config_file), env={"C360_AS_OF": AS_OF})
    monkeypatch.setenv("C360_AS_OF", AS_OF)
    config = load_config(config_file)
    work_db = config.warehouse_dir / "work" / "c360.duckdb"
    monkeypatch.setenv("C360_WORK_DB", str(work_db))  # the profile's DuckDB output names it

    session, folder = spark
    con = duckdb.connect(str(work_db), read_only=True)
    try:
        assert copy_sources_to_spark(con, session, folder) >= 20
        result = dbtRunner().invoke(
            [
                "build",
                "--target",
                "spark",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
            ]
            + ["--target-path", str(folder / "target"), "--vars", json.dumps(dbt_vars(config))]
        )
        failed = [
            f"{r.node.unique_id}: {r.message}" for r in result.result or [] if r.status not in ("success", "pass")
        ]
        assert result.success and not failed, "\n".join(failed) or str(result.exception)
        built = {r.node.name for r in result.result if r.node.resource_type == "model"}
        marts = [
            t for (t,) in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()
        ]
        assert "customer_360" in marts and set(marts) <= built
        differences = []
        for mart in marts:
            spark_rows = rows_of(session.table(f"marts.{mart}").toArrow())
            duckdb_rows = rows_of(con.sql(f"select * from marts.{mart}").to_arrow_table())
            if len(spark_rows) != len(duckdb_rows):
                differences.append(f"{mart}: {len(spark_rows)} rows on Spark, {len(duckdb_rows)} on DuckDB")
                continue
            differing = [(s, d) for s, d in zip(spark_rows, duckdb_rows, strict=True) if not all(map(same_value, s, d))]
            if differing:
                spark_row, duckdb_row = differing[0]
                differences.append(
                    f"{mart}: {len(differing)} rows differ, e.g. Spark {spark_row} / DuckDB {duckdb_row}"
                )
        assert not differences, "\n".join(differences)
        assert con.sql("select count(*) from marts.customer_360").fetchall()[0][0] > 100
    finally:
        con.close()
