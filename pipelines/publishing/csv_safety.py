"""No formula injection in CSV files people open in a spreadsheet (issue #10, OWASP "CSV injection").

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a `'`
in front, so Excel/LibreOffice show it as text instead of evaluating it. Only text (VARCHAR)
columns are escaped; numbers, dates and booleans are written untouched. Parquet files keep the
original text. Published CSVs are written by DuckDB `COPY`, so the escaping is a SQL expression
(`escaped_select`); report CSVs written from Python use `escape_cell` / `escape_row`.
"""

from __future__ import annotations

import re

import duckdb

from pipelines.warehouse import relation_columns

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"

_SQL_TRIGGERS = "['=', '+', '-', '@', chr(9), chr(13)]"
# A plain signed number written as text (`-1`, DUO's long-layout mask) is not a formula: left as is.
_PLAIN_NUMBER = r"[+-]?[0-9]+([.,][0-9]+)?"
_PLAIN_NUMBER_RE = re.compile(_PLAIN_NUMBER)


def escape_cell(value):
    """One cell for a CSV writer: a risky text value gets the `'` prefix; anything else unchanged."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _PLAIN_NUMBER_RE.fullmatch(value):
        return PREFIX + value
    return value


def escape_row(row: dict) -> dict:
    return {k: escape_cell(v) for k, v in row.items()}


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def escaped_expression(column: str) -> str:
    col = _quote(column)
    return (f"case when list_contains({_SQL_TRIGGERS}, left({col}, 1)) "
            f"and not regexp_full_match({col}, '{_PLAIN_NUMBER}') then chr(39) || {col} "
            f"else {col} end as {col}")


def escaped_select(con: duckdb.DuckDBPyConnection, relation: str, order_by: list[str]) -> str:
    """`select … from relation order by …` with every VARCHAR column escaped, column order kept."""
    select = ", ".join(escaped_expression(name) if typ.upper() == "VARCHAR" else _quote(name)
                       for name, typ in relation_columns(con, relation))
    return f"select {select} from {relation} order by {', '.join(order_by)}"
