"""A warehouse of an older release keeps its institutions table when the new file is rejected: the kept
table gains the columns added since (`provincie`, issue 20), empty, so the models can still read it."""

from __future__ import annotations

from pipelines.ingest.reference import ingest_reference

from ._raw import put


def test_a_kept_older_institutions_table_gains_the_provincie_column(con, raw_dir):
    con.execute("create schema if not exists landing")
    con.execute("create table landing.institutions as select '00IC' as instellingscode, 'Hogeschool' as naam, "
                "'hbo' as soort, '' as opgegaan_in, '' as per_jaar, 2 as line_number, "
                "'reference/institutions.csv' as source_file, 'x' as sha256")
    put(raw_dir, "reference/institutions.csv",
        b"instellingscode;naam;soort;opgegaan_in;per_jaar;provincie\n00IC;Hogeschool;hbo;;;Brabant-Noord\n")
    result = ingest_reference(con, raw_dir, "institutions", "run-2")
    assert result["kept_previous"] and "line 2" in result["rejected"] and "provincie" in result["rejected"]
    assert con.execute("select instellingscode, provincie from landing.institutions").fetchall() == [("00IC", "")]
