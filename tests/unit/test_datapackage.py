"""Dutch column texts (declared once in _marts.yml), the Frictionless data packages and the stable
paths latest/<mart>.csv|parquet and <publish>/datapackage.json (issue 19, items 6 and 7)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import frictionless
import pytest
import yaml

from pipelines.dbt_settings import ensure_manifest
from pipelines.marts import MARTS
from pipelines.paths import DBT_PROJECT_DIR
from pipelines.publishing.datapackage import DATAPACKAGE, field_type
from pipelines.publishing.latest import latest_problems, update_latest
from pipelines.publishing.metadata import model_columns
from pipelines.publishing.publication import publication_settings
from pipelines.publishing.publisher import commit_catalog, publish_mart, read_catalog

MARKUP = re.compile(r"`|\*\*|\[[^\]]*\]\(|<[a-z/]|\bdbt\b|_marts|\.sql\b|contract|\bseed\b|\bmodels?/", re.I)


def _marts_yml() -> dict:
    spec = yaml.safe_load((DBT_PROJECT_DIR / "models" / "marts" / "_marts.yml").read_text(encoding="utf-8"))
    return {m["name"]: m for m in spec["models"]}


def dutch_text_problems(model: dict) -> list[str]:
    """What a mart's yml lacks: model meta title_nl/description_nl, column meta label/description_nl."""
    problems = []
    meta = model.get("config", {}).get("meta", {})
    for key in ("title_nl", "description_nl"):
        if not str(meta.get(key) or "").strip():
            problems.append(f"{model['name']}: model meta {key} missing")
    for column in model.get("columns", []):
        cmeta = column.get("config", {}).get("meta", {})
        for key in ("label", "description_nl"):
            text = str(cmeta.get(key) or "").strip()
            if not text:
                problems.append(f"{model['name']}.{column['name']}: meta {key} missing")
            elif MARKUP.search(text):
                problems.append(f"{model['name']}.{column['name']}: meta {key} has markup or an internal reference")
    return problems


def test_every_published_mart_and_column_has_dutch_label_and_description():
    models = _marts_yml()
    assert set(MARTS) <= set(models)
    problems = [p for mart in MARTS for p in dutch_text_problems(models[mart])]
    assert problems == []


def test_a_column_without_its_dutch_texts_is_found():
    model = json.loads(json.dumps(_marts_yml()["sector_growth"]))
    del model["columns"][0]["config"]["meta"]["label"]
    model["columns"][1]["config"]["meta"]["description_nl"] = "zie `measure`"
    del model["config"]["meta"]["title_nl"]
    assert dutch_text_problems(model) == ["sector_growth: model meta title_nl missing",
                                          "sector_growth.sector: meta label missing",
                                          "sector_growth.measure: meta description_nl has markup or an internal reference"]


def test_model_columns_reads_the_dutch_texts_from_the_manifest(con):
    """The one manifest loader gives every published column its label and Dutch description."""
    manifest = ensure_manifest()
    models = _marts_yml()
    for mart in MARTS:
        names = [c["name"] for c in models[mart]["columns"]]
        con.execute(f"create or replace table t_{mart} ({', '.join(f'{n} varchar' for n in names)})")
        columns, model = model_columns(manifest, mart, con, f"t_{mart}")
        assert model["title_nl"] and model["description_nl"], mart
        assert "\n" not in model["description_nl"]
        for column in columns:
            assert column["label"] and column["description_nl"], (mart, column["name"])


@pytest.mark.parametrize("sql_type, expected", [
    ("VARCHAR", "string"), ("INTEGER", "integer"), ("BIGINT", "integer"), ("HUGEINT", "integer"),
    ("DECIMAL(18,1)", "number"), ("DECIMAL(38, 3)", "number"), ("DOUBLE", "number"), ("BOOLEAN", "boolean"),
    ("DATE", "date"), ("TIMESTAMP WITH TIME ZONE", "datetime"), ("VARCHAR[]", "string")])
def test_duckdb_types_map_onto_frictionless_types(sql_type, expected):
    assert field_type(sql_type) == expected


# --- data packages and latest/ on hand-made publish directories ---------------------------------------

COLUMNS = [
    {"name": "sector", "type": "VARCHAR", "unit": "code", "label": "Sector", "description_nl": "Onderwijssector."},
    {"name": "year", "type": "INTEGER", "unit": "year", "label": "Jaar", "description_nl": "Beginjaar."},
    {"name": "value", "type": "DECIMAL(18,1)", "unit": "persons", "label": "Aantal (puntschatting)",
     "description_nl": "Aantal personen."},
    {"name": "suppression", "type": "VARCHAR", "unit": "symbol", "label": "Geheimhouding",
     "description_nl": "c: niet gepubliceerd."},
    {"name": "is_provisional", "type": "BOOLEAN", "unit": "boolean", "label": "Voorlopig",
     "description_nl": "Voorlopig cijfer."},
]
ROWS_V1 = [("hbo", 2000, 10.5, None, False), ("hbo", 2001, None, "c", True), ("wo", 2000, 7.0, None, False)]
ROWS_V2 = ROWS_V1 + [("wo", 2001, 8.5, None, True)]
SYMBOLS = {"c": "confidential", "empty cell": "not applicable"}


def publish(con, publish_dir: Path, rows, *, as_of: str, mart: str = "sector_growth", run_id: str = "run-1"):
    con.execute(f"create or replace table {mart}_rows (sector varchar, year integer, value decimal(18, 1), "
                "suppression varchar, is_provisional boolean)")
    con.executemany(f"insert into {mart}_rows values (?, ?, ?, ?, ?)", [list(r) for r in rows])
    return publish_mart(con, mart=mart, relation=f"{mart}_rows", order_by=["sector", "year"],
                        publish_dir=publish_dir, as_of=as_of, run_id=run_id,
                        metadata={"as_of": as_of, "title": "Growth", "description": "test mart",
                                  "title_nl": f"Groei ({mart})", "description_nl": "Een testtabel.",
                                  "grain": ["sector", "year"], "columns": COLUMNS, "symbols": SYMBOLS},
                        validation={"success": True, "suite_name": mart})


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_valid(path: Path) -> None:
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_version_folder_holds_a_valid_data_package_listed_in_its_metadata(con, tmp_path):
    pub = publish(con, tmp_path / "published", ROWS_V1, as_of="2008-03-17")
    package_path = pub.directory / DATAPACKAGE
    metadata = json.loads((pub.directory / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["files"][DATAPACKAGE] == sha(package_path)
    package = json.loads(package_path.read_text(encoding="utf-8"))
    settings = publication_settings()
    assert package["version"] == pub.version and package["created"] == "2008-03-17T00:00:00Z"
    assert package["licenses"][0]["name"] == "CC-BY-4.0" == settings["license"]["name"]
    assert {c["role"] for c in package["contributors"]} == {"publisher", "contact"}
    (res,) = package["resources"]
    assert res["path"] == "data.csv" and res["format"] == "csv" and res["encoding"] == "utf-8"
    assert res["title"] == "Groei (sector_growth)" and res["description"] == "Een testtabel."
    assert res["hash"] == f"sha256:{metadata['files']['data.csv']}"
    assert res["symbols"] == SYMBOLS
    schema = res["schema"]
    assert schema["primaryKey"] == ["sector", "year"] and schema["missingValues"] == [""]
    assert [(f["name"], f["type"], f["title"]) for f in schema["fields"]] == [
        ("sector", "string", "Sector"), ("year", "integer", "Jaar"), ("value", "number", "Aantal (puntschatting)"),
        ("suppression", "string", "Geheimhouding"), ("is_provisional", "boolean", "Voorlopig")]
    assert_valid(package_path)  # metadata, hash, bytes, every row against the schema, the primary key


def test_frictionless_finds_a_duplicate_grain_and_a_wrong_type(con, tmp_path):
    """The validation the e2e tests rely on does check the rows and the key."""
    pub = publish(con, tmp_path / "published", ROWS_V1 + [("hbo", 2000, 3.0, None, False)], as_of="2008-03-17")
    report = frictionless.validate(str(pub.directory / DATAPACKAGE))
    assert not report.valid and "primary-key" in {e[0] for e in report.flatten(["type"])}
    package = json.loads((pub.directory / DATAPACKAGE).read_text(encoding="utf-8"))
    package["resources"][0]["schema"]["fields"][0]["type"] = "integer"
    package["resources"][0]["schema"]["primaryKey"] = ["year", "value"]
    (pub.directory / "other.json").write_text(json.dumps(package), encoding="utf-8")
    types = {e[0] for e in frictionless.validate(str(pub.directory / "other.json")).flatten(["type"])}
    assert "type-error" in types


def test_latest_follows_the_catalog_and_repairs_itself(con, tmp_path):
    out = tmp_path / "published"
    assert update_latest(out) == [] and latest_problems(out) == []  # nothing published yet: nothing to do
    v1 = publish(con, out, ROWS_V1, as_of="2008-03-17")
    publish(con, out, ROWS_V1, as_of="2008-03-17", mart="gender_shares")
    assert set(latest_problems(out)) == {"latest/sector_growth.csv: missing", "latest/sector_growth.parquet: missing",
                                         "latest/gender_shares.csv: missing", "latest/gender_shares.parquet: missing",
                                         "datapackage.json: missing"}
    assert update_latest(out) == ["latest/gender_shares.csv", "latest/gender_shares.parquet",
                                  "latest/sector_growth.csv", "latest/sector_growth.parquet", DATAPACKAGE]
    assert latest_problems(out) == [] and update_latest(out) == []  # in place: nothing rewritten
    assert (out / "latest" / "sector_growth.csv").read_bytes() == (v1.directory / "data.csv").read_bytes()
    assert (out / "latest" / "sector_growth.parquet").read_bytes() == (v1.directory / "data.parquet").read_bytes()
    root = json.loads((out / DATAPACKAGE).read_text(encoding="utf-8"))
    assert [r["path"] for r in root["resources"]] == [f"gender_shares/{v1.version}/data.csv",
                                                      f"sector_growth/{v1.version}/data.csv"]
    assert root["name"] == "betamonitor" and root["created"] == "2008-03-17T00:00:00Z"
    assert_valid(out / DATAPACKAGE)

    v2 = publish(con, out, ROWS_V2, as_of="2009-03-16")  # a newer version becomes current
    assert update_latest(out) == ["latest/sector_growth.csv", "latest/sector_growth.parquet", DATAPACKAGE]
    assert (out / "latest" / "sector_growth.csv").read_bytes() == (v2.directory / "data.csv").read_bytes()
    root = json.loads((out / DATAPACKAGE).read_text(encoding="utf-8"))
    assert f"sector_growth/{v2.version}/data.csv" in [r["path"] for r in root["resources"]]
    assert root["created"] == "2009-03-16T00:00:00Z"
    assert_valid(out / DATAPACKAGE)

    # Only re-pointing the catalog (identical data of an older version) moves latest/ too.
    commit_catalog(out, {"sector_growth": v1.version}, "run-9")
    assert read_catalog(out)["marts"]["sector_growth"]["version"] == v1.version
    assert update_latest(out) == ["latest/sector_growth.csv", "latest/sector_growth.parquet", DATAPACKAGE]
    assert (out / "latest" / "sector_growth.csv").read_bytes() == (v1.directory / "data.csv").read_bytes()

    # Deleted or edited stable files are found and rewritten.
    (out / "latest" / "sector_growth.csv").write_text("sector,year\nhbo,1999\n", encoding="utf-8")
    (out / "latest" / "gender_shares.parquet").unlink()
    (out / DATAPACKAGE).write_text("{}", encoding="utf-8")
    assert latest_problems(out) == ["latest/gender_shares.parquet: missing",
                                    "latest/sector_growth.csv: differs from the current version",
                                    "datapackage.json: differs from the current versions"]
    assert update_latest(out) == ["latest/gender_shares.parquet", "latest/sector_growth.csv", DATAPACKAGE]
    assert latest_problems(out) == []
    assert (out / "latest" / "sector_growth.csv").read_bytes() == (v1.directory / "data.csv").read_bytes()
    assert not list((out / "latest").glob(".*"))  # no temporaries left


def test_a_damaged_current_version_is_not_copied_to_latest(con, tmp_path):
    out = tmp_path / "published"
    v1 = publish(con, out, ROWS_V1, as_of="2008-03-17")
    update_latest(out)
    good = (out / "latest" / "sector_growth.csv").read_bytes()
    (v1.directory / "data.csv").write_text("sector,year\nvervalst,1\n", encoding="utf-8")
    (out / "latest" / "sector_growth.csv").unlink()
    assert "latest/sector_growth.csv" not in update_latest(out)
    assert not (out / "latest" / "sector_growth.csv").exists()
    assert good  # the publisher's checks report the damaged version; latest/ never serves it


def test_data_packages_are_byte_identical_for_the_same_inputs(tmp_path):
    import duckdb

    trees = []
    for name in ("a", "b"):
        con = duckdb.connect()
        out = tmp_path / name / "published"
        publish(con, out, ROWS_V1, as_of="2008-03-17")
        update_latest(out)
        con.close()
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
                      and "catalog" not in p.name})
    assert trees[0] == trees[1]
    assert DATAPACKAGE in trees[0] and any(k.endswith("/" + DATAPACKAGE) for k in trees[0])
