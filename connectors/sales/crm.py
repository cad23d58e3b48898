"""Read the configured Salesforce tables from any SQLAlchemy-reachable database
(a SQLite file for the demo, PostgreSQL in production)."""

from __future__ import annotations

import sqlalchemy as sa

from connectors.loader import LoadReport, SourceError, arrow_table, replace_raw_table, snake_case
from connectors.phones import e164_column

SCHEMA = "raw_sales"
PHONE_COLUMNS = {"phone", "mobile_phone"}


def _engine(url: str) -> sa.Engine:
    try:
        engine = sa.create_engine(url)
        with engine.connect():
            pass
        return engine
    except Exception as e:  # noqa: BLE001 - any driver error means the same to the user
        shown = sa.engine.make_url(url).render_as_string(hide_password=True)
        raise SourceError(
            f"sales: cannot connect to the CRM database {shown}: {e.__class__.__name__}: "
            f"{str(e).splitlines()[0]} (check sources.sales.url in the config)"
        ) from None


def load(con, url: str, tables: list[str], phone_region: str, load_id: str, log=print) -> LoadReport:
    engine = _engine(url)
    available = set(sa.inspect(engine).get_table_names())
    missing = [t for t in tables if t not in available]
    if missing:
        raise SourceError(
            f"sales: table(s) {', '.join(missing)} named in sources.sales.tables do not exist "
            f"in the CRM database (found: {', '.join(sorted(available)) or 'none'})"
        )
    report = LoadReport("sales")
    with engine.connect() as db:
        for table in tables:
            result = db.execute(
                sa.select(sa.table(table, *[sa.column(c["name"]) for c in sa.inspect(engine).get_columns(table)]))
            )
            columns = [snake_case(c) for c in result.keys()]
            rows = [dict(zip(columns, r, strict=True)) for r in result]
            data = arrow_table(rows, columns)
            for col in PHONE_COLUMNS & set(columns):
                data = data.append_column(f"{col}_e164", e164_column(data[col], phone_region))
            name = snake_case(table)
            replace_raw_table(con, SCHEMA, name, data, load_id, f"table:{table}", report=report)
            log(f"sales: {table}: {report.rows[name]:,} rows")
    engine.dispose()
    return report
