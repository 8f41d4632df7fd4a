"""A delivery's records melted into count cells and checked, in DuckDB.

Input: the temp table of records (`records.RECORDS_TABLE`) and the melt plan the header gave
(`layouts.melt_plan`). Output: the temp table `CELLS_TABLE`, one row per count cell with its
provenance (line, column header, raw text), the dataset's landing columns, the typed count and
`quarantine_reason`, ready to be inserted into `landing.<dataset>`.

The row checks are SQL predicates: lines without an institution code or with the wrong number of fields,
footers, the TOTAAL check (contract 11.3), masking and the thousands separator, implausible counts and
repeated row keys. Value normalisation and the pandera schema run in Python on each column's distinct
values only (`_normalise`, `_schema_reasons`), and DuckDB joins the outcome back onto the cells.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pandera.errors
import pandera.pandas as pa

from pipelines.ingest import guards
from pipelines.ingest.datasets import NORMALISERS, Normaliser
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.layouts import DatasetSpec, Layout, MeltPlan, WideLayout
from pipelines.ingest.records import RECORDS_TABLE
from pipelines.warehouse import sql_literal

CELLS_TABLE = "_delivery_cells"
PROBLEMS_TABLE = "_delivery_problems"
_ROWS = "_delivery_rows"
_RAW_CELLS = "_delivery_raw_cells"
_NORMALISED = "_delivery_normalised"
# Python's str.strip() whitespace, so trimmed text is what the csv-module reader gave before.
_WHITESPACE = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007" \
              "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
# Columns checked by the schema without a header prefix in the reason (they name the cell itself).
_CELL_SCHEMA_COLUMNS = ("column_header", "raw_value", "year", "gender")


def _strip(expr: str) -> str:
    """Python's str.strip() in SQL; text that starts and ends with a printable ASCII character (nearly
    all of it) skips the slow many-character trim."""
    return (f"case when {expr} = '' or (left({expr}, 1) between '!' and '~' and right({expr}, 1) between '!' and '~') "
            f"then {expr} else trim({expr}, {sql_literal(_WHITESPACE)}) end")


def _field(pos: int | None) -> str:
    """The trimmed text of field `pos` (0-based) of a record."""
    return "null::varchar" if pos is None else _strip(f"fields[{pos + 1}]")


def _canonical(expr: str) -> str:
    """normalise.canonical_header for a value: no BOM, `_` = space, trimmed, single spaces, upper case."""
    inner = _strip(f"replace(replace({expr}, chr(65279), ''), '_', ' ')")
    return f"upper(regexp_replace({inner}, '\\s+', ' ', 'g'))"


def melt(con: duckdb.DuckDBPyConnection, plan: MeltPlan) -> None:
    """Records -> raw cells (`_RAW_CELLS`) and whole-row problems (`PROBLEMS_TABLE`)."""
    _classify_rows(con, plan)
    con.execute(f"""
        create or replace temp table {PROBLEMS_TABLE} as
        select line_number, {sql_literal(plan.institution_header)} as column_header, code as raw_value,
               'data line without a valid institution code' as reason
        from {_ROWS} where kind = 'no_code'
        union all
        select line_number, null, null, 'expected {plan.width} fields, found ' || n_fields
        from {_ROWS} where kind = 'width'
        order by line_number""")
    dims = "".join(f", {_field(pos)} as {col}" for col, pos in plan.dims.items())
    dim_names = "".join(f", d.{col}" for col in plan.dims)
    layout = plan.layout
    if isinstance(layout, WideLayout):
        kinds = list(layout.companions)
        columns = " union all ".join(
            f"select {i} as ordinal, {c.position + 1} as pos, {sql_literal(c.header)} as column_header, {sql_literal(c.year)} as year, "
            f"{sql_literal(c.gender)} as gender"
            + "".join(f", {_companion_pos(plan, kind, c)} as pos_{j}" for j, kind in enumerate(kinds))
            for i, c in enumerate(plan.counts))
        companions = "".join(f", {_strip(f'd.fields[c.pos_{j}]')} as {layout.companions[kind]}"
                             for j, kind in enumerate(kinds))
        row_gender = _canonical(f"fields[{plan.gender_pos + 1}]") if plan.gender_pos is not None else "null::varchar"
        con.execute(f"""
            create or replace temp table {_RAW_CELLS} as
            with data as (select line_number, fields, {row_gender} as row_gender{dims} from {_ROWS} where kind = 'data')
            select d.line_number, c.ordinal, c.column_header, {_strip('d.fields[c.pos]')} as raw_value, c.year,
                   coalesce(c.gender, d.row_gender) as gender, null::varchar as check_reason{dim_names}{companions}
            from data d cross join ({columns}) c""")
        if plan.total_years:
            _check_totals(con, plan)
    else:
        count = plan.counts[0]
        gender = _canonical(f"fields[{plan.gender_pos + 1}]") if plan.gender_pos is not None else "null::varchar"
        con.execute(f"""
            create or replace temp table {_RAW_CELLS} as
            select line_number, 0 as ordinal, {sql_literal(count.header)} as column_header, {_field(count.position)} as raw_value,
                   {_field(plan.year_pos)} as year, {gender} as gender, null::varchar as check_reason{dims}
            from {_ROWS} where kind = 'data'""")
    con.execute(f"drop table {_ROWS}")


def _companion_pos(plan: MeltPlan, kind: str, col) -> str:
    """The 1-based field position of a companion figure (the exam file's GESLAAGDEN, SLAAGPERC) beside the
    count of the same year and gender, or null."""
    pos = plan.companion_pos.get((kind, col.year, col.gender))
    return "null::integer" if pos is None else str(pos + 1)


def _classify_rows(con: duckdb.DuckDBPyConnection, plan: MeltPlan) -> None:
    """Each line after the header: blank, footer (no institution code, after the last data line),
    `no_code` or `width` (bad rows, quarantined whole) or `data`. Inside the data a line without a code is
    a bad row, never silently dropped; after it, a full-width line whose code merely looks mistyped
    (`2ZT`) is a bad row too."""
    inst = plan.institution_pos + 1
    con.execute(f"""
        create or replace temp table {_ROWS} as
        with lines as (
            select line_number, fields, len(fields) as n_fields,
                   case when len(fields) >= {inst} then {_strip(f'fields[{inst}]')} else '' end as code,
                   {_strip("array_to_string(fields, '')")} = '' as blank  -- every field empty or whitespace
            from {RECORDS_TABLE} where line_number > 1
        ), coded as (
            select *, regexp_full_match(upper(code), '[0-9A-Z]{{4}}') as has_code from lines
        ), marked as (
            select *, coalesce(max(case when has_code then line_number end) over (), 0) as last_data from coded
        )
        select line_number, fields, n_fields, code,
               case when not has_code then 'no_code' when n_fields <> {plan.width} then 'width' else 'data' end as kind
        from marked
        where not blank
          and not (line_number > last_data
                   and (n_fields <> {plan.width} or not regexp_full_match(code, '[0-9A-Za-z]{{1,6}}')
                        or lower(code) in ('totaal', 'total')))""")


def _low_bound(raw: str, layout: WideLayout) -> str:
    """SQL: the least a count cell can hold: its count, 1 when masked (1-4), null when unreadable."""
    return f"case when {raw} in ({', '.join(sql_literal(t) for t in layout.masked_tokens)}) then 1 else {_count(raw, layout)} end"


def _count(raw: str, layout: Layout) -> str:
    """SQL: an unmasked count as a number (empty = 0); null when masked or not a count."""
    digits = f"replace({raw}, {sql_literal(layout.thousands_separator)}, '')" if layout.thousands_separator else raw
    return (f"case when {raw} in ({', '.join(sql_literal(t) for t in layout.masked_tokens)}) then null "
            f"when regexp_full_match({raw}, {sql_literal(layout.count_pattern)}) then coalesce(try_cast(nullif({digits}, '') "
            f"as hugeint), 0) end")


def _valid_count(raw: str, layout: Layout) -> str:
    """SQL: the count of a cell that passed every check (its text matched the count pattern): null when
    masked, empty = 0."""
    digits = f"replace({raw}, {sql_literal(layout.thousands_separator)}, '')" if layout.thousands_separator else raw
    masked = ", ".join(sql_literal(t) for t in layout.masked_tokens)
    return f"case when {raw} in ({masked}) then null else coalesce(try_cast(nullif({digits}, '') as bigint), 0) end"


def _check_totals(con: duckdb.DuckDBPyConnection, plan: MeltPlan) -> None:
    """TOTAAL is the count and includes unknown gender (contract 11.3), so TOTAAL >= MAN + VROUW. A row
    year fails when TOTAAL is smaller than the least MAN + VROUW can be (masked = 1), or when TOTAAL is
    masked (at most 4) next to MAN + VROUW of 5 or more; every cell of that row year is quarantined."""
    layout = plan.layout
    total = sql_literal(layout.total_gender)
    masked = ", ".join(sql_literal(t) for t in layout.masked_tokens)
    years = ", ".join(sql_literal(y) for y in plan.total_years)
    con.execute(f"""
        create or replace temp table _delivery_total_checks as
        with parts as (
            select line_number, year,
                   max(case when gender = 'MAN' then {_low_bound('raw_value', layout)} end) as man,
                   max(case when gender = 'VROUW' then {_low_bound('raw_value', layout)} end) as vrouw,
                   max(case when gender = {total} then {_low_bound('raw_value', layout)} end) as total_low,
                   max(case when gender = {total} then {_count('raw_value', layout)} end) as total,
                   bool_or(gender in ('MAN', 'VROUW') and raw_value in ({masked})) as any_masked,
                   max(case when gender = 'MAN' then column_header end) as man_header,
                   max(case when gender = 'VROUW' then column_header end) as vrouw_header,
                   max(case when gender = {total} then column_header end) as total_header
            from {_RAW_CELLS} where year in ({years}) and gender in ('MAN', 'VROUW', {total})
            group by line_number, year
        ), judged as (
            select line_number, year, total, total_header, man + vrouw as least,
                   man_header || ' + ' || vrouw_header || ' = ' || case when any_masked then 'at least ' else '' end
                       || (man + vrouw)::varchar as parts_text
            from parts
            where man is not null and vrouw is not null and total_low is not null
        )
        select line_number, year,
               case when total is null and least >= 5 then total_header || ' is masked (1-4) but ' || parts_text
                    when total is not null and total < least
                        then total_header || ' is ' || total::varchar || ', less than ' || parts_text end as reason
        from judged""")
    con.execute(f"""
        update {_RAW_CELLS} c set check_reason = t.reason
        from _delivery_total_checks t
        where t.reason is not null and c.line_number = t.line_number and c.year = t.year""")
    con.execute("drop table _delivery_total_checks")


def count_raw_cells(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    return con.execute(f"select (select count(*) from {_RAW_CELLS}), (select count(*) from {PROBLEMS_TABLE})"
                       ).fetchone()


# ------------------------------------------------------------------ normalisation and schema, on distinct values

def _distinct_values(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> dict[str, list]:
    """Each column's distinct values (text or None), all in one query."""
    if not columns:
        return {}
    union = " union all ".join(f"select distinct {i} as i, {c}::varchar as v from {table}"
                               for i, c in enumerate(columns))
    found: dict[str, list] = {c: [] for c in columns}
    for i, value in con.execute(union).fetchall():
        found[columns[i]].append(value)
    return found


def _text_frame(columns: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(v, dtype="string") for c, v in columns.items()})


def _distinct_inputs(con: duckdb.DuckDBPyConnection, rule: Normaliser, present: set[str],
                     single: dict[str, list]) -> pd.DataFrame:
    """The distinct input tuples of a normaliser; a column the file does not have is <NA>."""
    inputs = [c for c in rule.inputs if c in present]
    if not inputs:  # a whole-delivery value, or inputs this file does not have
        frame = pd.DataFrame(index=[0])
    elif len(rule.inputs) == 1:
        frame = _text_frame({rule.inputs[0]: single.get(rule.inputs[0], [None])})
    else:
        rows = con.execute(f"select distinct {', '.join(inputs)} from {_RAW_CELLS}").fetchall()
        frame = pd.DataFrame(rows, columns=inputs, dtype="string")
    for missing in set(rule.inputs) - set(inputs):
        frame[missing] = pd.Series(pd.NA, index=frame.index, dtype="string")
    return frame


def _normalise(con: duckdb.DuckDBPyConnection, spec: DatasetSpec, display: str) -> str:
    """Apply the family's normalisers to distinct values and join them back: returns the select list of
    the normalised cells over `_RAW_CELLS c` (registered mapping views `_norm_<i>` as `n<i>`)."""
    raw_columns = [r[0] for r in con.execute(f"describe {_RAW_CELLS}").fetchall()]
    rules = NORMALISERS[spec.family]
    single = _distinct_values(con, _RAW_CELLS, sorted({r.inputs[0] for r in rules if len(r.inputs) == 1}
                                                      & set(raw_columns)))
    outputs: dict[str, str] = {}
    joins = []
    for i, rule in enumerate(rules):
        distinct = _distinct_inputs(con, rule, set(raw_columns), single)
        inputs = [c for c in rule.inputs if c in raw_columns]
        result = rule.apply(distinct, display)
        mapping = pd.concat([distinct[inputs].add_prefix("in_"), result[list(rule.outputs)].astype("string")], axis=1)
        con.register(f"_norm_{i}", mapping)
        on = " and ".join(f"c.{c} is not distinct from n{i}.in_{c}" for c in inputs) or "true"
        joins.append(f"left join _norm_{i} n{i} on {on}")
        outputs.update({out: f"n{i}.{out}" for out in rule.outputs})
    select = [f"{outputs.pop(c, f'c.{c}')} as {c}" for c in raw_columns]
    select += [f"{expr} as {col}" for col, expr in outputs.items()]
    # a dimension this file does not have (an optional column, another layout's companion) is null
    select += [f"null::varchar as {col}" for col in spec.dimension_columns
               if col not in raw_columns and col not in outputs]
    return ", ".join(select) + f" from {_RAW_CELLS} c " + " ".join(joins)


def _unregister_normalisers(con: duckdb.DuckDBPyConnection, spec: DatasetSpec) -> None:
    for i in range(len(NORMALISERS[spec.family])):
        con.unregister(f"_norm_{i}")


def _schema_reasons(con: duckdb.DuckDBPyConnection, spec: DatasetSpec, schema: pa.DataFrameSchema,
                    display: str) -> list[tuple[str, pd.DataFrame]]:
    """Validate the landed cells with pandera, on each column's distinct values (one frame, each column
    padded by repeating its own values: every check is per value). Returns (column, value -> reason)
    for the columns with failures; a failure that is not about a value rejects the file."""
    header_of = {col: header for header, col in {**spec.dimensions, **spec.optional_dimensions}.items()}
    schema = schema.remove_columns(["line_number", "check_reason"])
    values = _distinct_values(con, _NORMALISED, list(schema.columns))
    longest = max((len(v) for v in values.values()), default=0)
    padded = _text_frame({c: (v * (longest // len(v) + 1))[:longest] if v else [] for c, v in values.items()})
    try:
        schema.validate(padded, lazy=True)
    except pandera.errors.SchemaErrors as err:
        texts: dict[str, dict[object, list[str]]] = {}
        for case in err.failure_cases.itertuples(index=False):
            if case.index is None or pd.isna(case.index):
                raise RejectedFile(display, f"schema error in column {case.column}: {case.check}") from None
            where = "" if case.column in _CELL_SCHEMA_COLUMNS else f"{header_of.get(case.column, case.column)}: "
            value = padded[case.column].iloc[int(case.index)]
            found = texts.setdefault(case.column, {}).setdefault(None if pd.isna(value) else value, [])
            text = f"{where}{case.check} ({case.failure_case!r})"
            if text not in found:
                found.append(text)
        return [(column, pd.DataFrame({"value": pd.Series(list(by_value), dtype="string"),
                                       "reason": pd.Series(["; ".join(t) for t in by_value.values()], dtype="string")}))
                for column, by_value in sorted(texts.items(), key=lambda item: list(schema.columns).index(item[0]))]
    return []


def check_and_type(con: duckdb.DuckDBPyConnection, spec: DatasetSpec, plan: MeltPlan, schema: pa.DataFrameSchema,
                   display: str) -> None:
    """Normalise, validate and type the raw cells into `CELLS_TABLE` with `quarantine_reason`, in order
    (line, count column). A cell's reasons, in order: the TOTAAL check, the schema, an implausible count
    (only when nothing else is wrong), a repeated row."""
    con.execute(f"create or replace temp table {_NORMALISED} as select {_normalise(con, spec, display)}")
    _unregister_normalisers(con, spec)
    failing = _schema_reasons(con, spec, schema, display)
    for i, (column, mapping) in enumerate(failing):  # a table each: the cells view reads them later
        con.register("_schema_mapping", mapping)
        con.execute(f"create or replace temp table _delivery_schema_{i} as select * from _schema_mapping")
        con.unregister("_schema_mapping")
    joins = " ".join(f"left join _delivery_schema_{i} s{i} on c.{column} is not distinct from s{i}.value"
                     for i, (column, _) in enumerate(failing))
    reasons = ", ".join(["c.check_reason", *(f"s{i}.reason" for i in range(len(failing)))])
    _find_duplicates(con, spec)
    layout = plan.layout
    masked = ", ".join(sql_literal(t) for t in layout.masked_tokens)
    total_gender = layout.total_gender if isinstance(layout, WideLayout) else None
    in_total = f"coalesce(gender = {sql_literal(total_gender)}, false)" if total_gender else "true"
    con.execute(f"""
        create or replace temp view {CELLS_TABLE} as
        with checked as (
            select c.*, coalesce(nullif(concat_ws('; ', {reasons}), ''), {_implausible('c.raw_value', layout)})
                            as early_reason  -- an implausible count only where nothing else is wrong
            from {_NORMALISED} c {joins}
        ), judged as (
            select c.* exclude (early_reason, year),
                   c.year as year_text,
                   case when d.reason is null then c.early_reason
                        when c.early_reason is null then d.reason
                        else c.early_reason || '; ' || d.reason end as quarantine_reason
            from checked c left join _delivery_duplicates d
              on c.line_number = d.line_number and c.year is not distinct from d.year
             and c.gender is not distinct from d.gender
        )
        select * exclude (year_text, quarantine_reason),
               case when quarantine_reason is null or regexp_full_match(year_text, '[0-9]{{4}}')
                    then try_cast(year_text as integer) end as year,
               case when quarantine_reason is null then {_valid_count('raw_value', layout)} end as count_value,
               quarantine_reason is null and raw_value in ({masked}) as is_masked,
               {in_total} as in_total,
               quarantine_reason
        from judged""")


def _implausible(raw: str, layout: Layout) -> str:
    """SQL: a reason when the count is above the declared maximum per cell (dbt var max_cell_count). Only
    read where the schema found nothing wrong, so the text is a count, a mask or empty."""
    maximum = guards.max_cell_count()
    digits = f"replace({raw}, '.', '')" if layout.thousands_separator else raw
    too_big = f"length({digits}) > {len(str(maximum))} or try_cast({digits} as hugeint) > {maximum}"
    return (f"case when {too_big} then 'count ' || {raw} || ' is above the plausible maximum of {maximum} per cell "
            f"(dbt var max_cell_count)' end")


def _find_duplicates(con: duckdb.DuckDBPyConnection, spec: DatasetSpec) -> None:
    """Two lines with the same cells (the family's row key + year + gender) are both quarantined: summing
    both would count the row twice, and no rule can tell which one is right. An exact copy (the same
    fields as read) is named as such; otherwise the row key and the other line are named.
    Fills `_delivery_duplicates` (line_number, year, gender, reason): one row per repeated cell."""
    key = spec.row_key
    identity = [*key, "year", "gender"]
    same = " and ".join(f"a.{c} is not distinct from b.{c}" for c in identity)
    named = ", ".join(f"case when k.{c} is not null and k.{c} <> '' then '{c} ' || k.{c} end" for c in key)
    con.execute(f"""
        create or replace temp table _delivery_duplicates as
        with repeated as (
            select distinct {', '.join(identity)}, line_number
            from (select *, count(*) over (partition by {', '.join(identity)}) as n from {_NORMALISED})
            where n > 1
        ), other_of as (
            select a.line_number, min(b.line_number) as other
            from repeated a join repeated b on {same} and a.line_number <> b.line_number
            group by a.line_number
        ), texts as (
            select o.line_number, o.other, array_to_string(r.fields, chr(31)) as text
            from other_of o join {RECORDS_TABLE} r using (line_number)
        ), firsts as (
            select *, min(line_number) over (partition by text) as first_line from texts
        ), copies as (
            select *, min(case when line_number <> first_line then line_number end) over (partition by text)
                          as second_line
            from firsts
        ), keys as (
            select distinct on (line_number) line_number, {', '.join(key)} from repeated
            where line_number in (select line_number from other_of) order by line_number
        ), by_line as (
            select c.line_number,
                   case when c.line_number <> c.first_line then 'exact duplicate of line ' || c.first_line
                        when c.second_line is not null then 'exact duplicate of line ' || c.second_line
                        else 'duplicate row: the same row key (' || concat_ws(', ', {named}) || ') as line '
                             || c.other || ', with other values' end as reason
            from copies c join keys k using (line_number)
        )
        select distinct r.line_number, r.year, r.gender, b.reason
        from repeated r join by_line b using (line_number)""")


def drop_all(con: duckdb.DuckDBPyConnection) -> None:
    """Drop what one delivery's read left (the cells view reads the tables and registered mappings)."""
    con.execute(f"drop view if exists {CELLS_TABLE}")
    for (table,) in con.execute("select table_name from duckdb_tables() where temporary "
                                "and starts_with(table_name, '_delivery_')").fetchall():
        con.execute(f"drop table if exists {table}")
