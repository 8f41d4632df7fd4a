"""The floor: `sector_growth`'s values computed by one DuckDB query straight from the raw files.

No pipeline code, no landing tables, no dbt: `read_csv` over the DUO files of a raw directory and
the CROHO classification, with the pipeline's counting rules written once more in SQL:

- a cell counts `count`, a masked cell (`<5` in the wide `;` layout, `-1` in the long `,` layout)
  counts 2.5, an empty cell 0; `1.234` in the wide layout is 1234;
- hbo / wo (`ho_eerstejaars` instroom, `ho_gediplomeerden` uitstroom): a programme is bèta/techniek
  when the CROHO classification says `J`, or, when its code is not classified, when its onderdeel is
  natuur or techniek; `_excl_informatica` leaves out the programmes marked informatica;
  ho = hbo + wo;
- mbo instroom / uitstroom: MBO SECTOR techniek; havo / vwo instroom: leerjaar 4 with profiel NT,
  NG or NT/NG (havo_vwo = havo + vwo); vmbo uitstroom: VMBO SECTOR techniek in BB/KB/GL, uitstroom_tl
  in TL;
- for each dataset and year the latest delivery (date in the file name) that holds the year wins;
- index = 100 x value / value in 2000, one decimal, half away from zero; growth_pct = index - 100.

What it does not do (the pipeline does, so the floor is a lower bound, not a replacement): no
validation or quarantine (a bad count is read as 0, a line with a bad code is dropped only if it is
not a 4-character code), no header synonyms or value spellings beyond those the shipped sample uses
(`BRIN NUMMER ACTUEEL` / `INSTELLINGSCODE_ACTUEEL`, `HBO` / `hbo`, `voltijd onderwijs` / `VT`), no
as-of date, no provenance, no targets, no bounds (low/high), no marts other than sector_growth.
A delivery's years are the years with at least one non-empty cell in it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

DATASETS = {
    "ho_eerstejaars": "instroom",
    "ho_gediplomeerden": "uitstroom",
    "mbo_eerstejaars": "instroom",
    "mbo_gediplomeerden": "uitstroom",
    "vo_profielkeuze": "instroom",
    "vmbo_examenkandidaten": "uitstroom",
}


def _files(raw: Path, dataset: str) -> tuple[list[str], list[str]]:
    """(wide `;` files, long `,` files) of a dataset: long files are the UTF-8 ones with a BOM."""
    wide, long = [], []
    for path in sorted((raw / "duo" / dataset).glob("*.csv")):
        with path.open("rb") as fh:
            (long if fh.read(3) == b"\xef\xbb\xbf" else wide).append(str(path))
    return wide, long


def _long_year_column(files: list[str]) -> str:
    """DIPLOMAJAAR or STUDIEJAAR, whichever the long files use (both: the first that is filled)."""
    names = set()
    for name in files:
        with open(name, encoding="utf-8-sig") as fh:
            names |= {h.strip().strip('"') for h in fh.readline().split(",")}
    found = [h for h in ("DIPLOMAJAAR", "STUDIEJAAR") if h in names]
    return f"coalesce({', '.join(found)})"


def _wide(files: list[str]) -> str:
    return (f"read_csv({files!r}, delim=';', quote='\"', header=true, all_varchar=true, encoding='latin-1', "
            "union_by_name=true, filename=true, null_padding=true, strict_mode=false)")


def _long(files: list[str]) -> str:
    return f"read_csv({files!r}, delim=',', header=true, all_varchar=true, union_by_name=true, filename=true)"


def _delivery_date(col: str = "filename") -> str:
    return "cast(regexp_extract(parse_filename(" + col + r"), '^(\d{4}-\d{2}-\d{2})_', 1) as date)"


def _wide_value(count: str) -> str:
    return (f"case when {count} = '<5' then 2.5 "
            f"else coalesce(try_cast(replace({count}, '.', '') as decimal(18, 1)), 0) end")


def _long_value(count: str) -> str:
    return f"case when {count} = '-1' then 2.5 else coalesce(try_cast({count} as decimal(18, 1)), 0) end"


def cells_sql(raw: Path) -> str:
    """One `union all` of every counted-or-not DUO cell: dataset, file, date, year, sector, measure, value."""
    parts: list[str] = []
    for dataset, measure in DATASETS.items():
        wide, long = _files(raw, dataset)
        if dataset.startswith("ho_"):
            if wide:
                parts.append(f"""
select '{dataset}' as dataset, filename, {_delivery_date()} as delivery_date,
       cast(left(hdr, 4) as integer) as year, lower(trim("TYPE HOGER ONDERWIJS")) as sector,
       '{measure}' as measure, trim("OPLEIDINGSCODE ACTUEEL") as programme,
       lower(trim("CROHO ONDERDEEL")) as onderdeel, {_wide_value('trim(cnt)')} as value
from (unpivot (select * from {_wide(wide)} where regexp_full_match(trim("BRIN NUMMER ACTUEEL"), '[0-9A-Z]{{4}}'))
      on columns('^\\d{{4}} (MAN|VROUW)$') into name hdr value cnt)""")
            if long:
                year = _long_year_column(long)
                parts.append(f"""
select '{dataset}', filename, {_delivery_date()}, cast({year} as integer), lower(trim(TYPE_HOGER_ONDERWIJS)),
       '{measure}', trim(OPLEIDINGSCODE_ACTUEEL), lower(trim(ONDERDEEL)), {_long_value('trim(AANTAL)')}
from {_long(long)} where regexp_full_match(trim(INSTELLINGSCODE_ACTUEEL), '[0-9A-Z]{{4}}')""")
            continue
        if not wide:
            continue
        if dataset.startswith("mbo_"):
            select = (f"'mbo' as sector, '{measure}' as measure, null, null, "
                      f"case when lower(trim(\"MBO SECTOR\")) = 'techniek' then {_wide_value('trim(cnt)')} end")
            pattern, year = "^\\d{4} (MAN|VROUW)$", "cast(left(hdr, 4) as integer)"
        elif dataset == "vo_profielkeuze":
            select = ("lower(trim(\"ONDERWIJSTYPE VO\")), 'instroom', null, null, "
                      "case when trim(LEERJAAR) = '4' and upper(replace(PROFIEL, ' ', '')) in ('NT', 'NG', 'NT/NG') "
                      f"then {_wide_value('trim(cnt)')} end")
            pattern, year = "^\\d{4} (MAN|VROUW)$", "cast(left(hdr, 4) as integer)"
        else:  # vmbo_examenkandidaten: "EXAMENKANDIDATEN SCHOOLJAAR 2006-2007 MAN" is 2006
            select = ("'vmbo', case when upper(trim(\"LEERWEG VMBO\")) in ('TL', 'THEORETISCHE LEERWEG') "
                      "then 'uitstroom_tl' else 'uitstroom' end, null, null, "
                      f"case when lower(trim(\"VMBO SECTOR\")) = 'techniek' then {_wide_value('trim(cnt)')} end")
            pattern = "^EXAMENKANDIDATEN SCHOOLJAAR \\d{4}-\\d{4} (MAN|VROUW)$"
            year = "cast(regexp_extract(hdr, '(\\d{4})-', 1) as integer)"
        parts.append(f"""
select '{dataset}', filename, {_delivery_date()}, {year}, {select}
from (unpivot (select * from {_wide(wide)} where regexp_full_match(trim("BRIN NUMMER"), '[0-9A-Z]{{4}}'))
      on columns('{pattern}') into name hdr value cnt)""")
    return "\nunion all\n".join(parts)


def floor_sql(raw: Path) -> str:
    croho = raw / "reference" / "croho_classification.csv"
    return f"""
with cells as ({cells_sql(raw)}),
croho as (
    select trim(opleidingscode) as programme, betatechniek = 'J' as is_beta, informatica = 'J' as is_informatica
    from read_csv('{croho}', delim=';', header=true, all_varchar=true)
),
winners as (  -- latest delivery per dataset and year
    select dataset, year, arg_max(filename, (delivery_date, filename)) as filename
    from (select distinct dataset, year, filename, delivery_date from cells) group by dataset, year
),
counted as (
    select c.sector, c.measure, c.year, c.value, c.dataset, c.programme,
           coalesce(k.is_beta, c.onderdeel in ('natuur', 'techniek')) as is_beta,
           coalesce(k.is_informatica, false) as is_informatica
    from cells c
    join winners w using (dataset, year, filename)
    left join croho k on c.dataset like 'ho_%' and c.programme = k.programme
    where c.value is not null
),
by_sector as (
    select sector, measure, year, value from counted where dataset not like 'ho_%' or is_beta
    union all
    select sector, measure || '_excl_informatica', year, value from counted
    where dataset like 'ho_%' and is_beta and not is_informatica
),
with_aggregates as (
    select * from by_sector
    union all
    select case when sector in ('hbo', 'wo') then 'ho' else 'havo_vwo' end, measure, year, value
    from by_sector where sector in ('hbo', 'wo', 'havo', 'vwo')
),
sums as (select sector, measure, year, sum(value) as value from with_aggregates group by all)
select s.sector, s.measure, s.year, s.value,
       -- exact, half away from zero (values are multiples of 0.5 and positive): no binary floating point
       cast(((2000 * cast(2 * s.value as hugeint) + cast(2 * b.value as hugeint))
             // (2 * cast(2 * b.value as hugeint))) * 0.1 as decimal(18, 1)) as index,
       cast(((2000 * cast(2 * s.value as hugeint) + cast(2 * b.value as hugeint))
             // (2 * cast(2 * b.value as hugeint))) * 0.1 - 100 as decimal(18, 1)) as growth_pct
from sums s left join sums b on b.sector = s.sector and b.measure = s.measure and b.year = 2000
order by s.sector, s.measure, s.year
"""


def compute_floor(raw: Path) -> list[tuple]:
    """(sector, measure, year, value, index, growth_pct) rows, from the raw files only."""
    con = duckdb.connect()
    try:
        return con.sql(floor_sql(raw)).fetchall()
    finally:
        con.close()
