"""Small reads from the DuckDB warehouse shared by the library and the run reports."""

from __future__ import annotations

import duckdb


def sql_literal(text: str | None) -> str:
    """A SQL string literal (or null) for text spliced into a statement DuckDB cannot bind as a
    parameter: file paths in `read_csv`/`copy`, values in generated `case` and `values` lists."""
    if text is None:
        return "null"
    return "'" + str(text).replace("'", "''") + "'"


def rows_as_dicts(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list[dict]:
    """The query's rows, each as {column name: value}."""
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def relation_columns(con: duckdb.DuckDBPyConnection, relation: str, params: list | None = None) -> list[tuple[str, str]]:
    """(column name, DuckDB type) of a table, view or table function such as `read_parquet(?)`."""
    return [(row[0], row[1]) for row in con.execute(f"describe select * from {relation}", params or []).fetchall()]
