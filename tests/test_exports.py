"""Exports for editors and other systems: JSON Schema, Samenwerkende Catalogi XML, JSON and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import doctest
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from catalogus import exports, publishing
from catalogus.catalog import load_catalog_or_raise
from catalogus.cli import main
from catalogus.sc import SUBJECTS, UPL_NOT_AVAILABLE, Publisher, render_sc_feed
from catalogus.yamlio import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
TODAY = dt.date(2026, 11, 26)
OP = "{http://standaarden.overheid.nl/product/terms/}"
DC = "{http://purl.org/dc/terms/}"
OV = "{http://standaarden.overheid.nl/owms/terms/}"
CONTENT_FILES = (sorted((ROOT / "rules").glob("*.yaml")) + sorted((ROOT / "products").glob("*.yaml"))
                 + sorted((ROOT / "gemeenten").rglob("*.yaml")))


def test_docstring_examples():
    assert doctest.testmod(exports).failed == 0


# ---------------------------------------------------------------- JSON Schema

@pytest.mark.parametrize("name", list(exports.SCHEMA_MODELS))
def test_committed_schema_files_equal_the_generated_ones(name):
    committed = ROOT / "schema" / f"{name}.schema.json"
    assert committed.read_text(encoding="utf-8") == exports.schema_text(name), (
        f"schema/{name}.schema.json is out of date: run `catalogus export schema`")


def _as_json(value):
    """Dates become strings, as the YAML language server sees them."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def schema_errors(relative: str, data) -> list[str]:
    schema = exports.json_schema(exports.schema_for(relative))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [error.message for error in validator.iter_errors(_as_json(data))]


@pytest.mark.parametrize("file", CONTENT_FILES, ids=lambda f: f.relative_to(ROOT).as_posix())
def test_every_shipped_file_validates_against_its_schema_and_names_it_on_line_one(file):
    relative = file.relative_to(ROOT).as_posix()
    assert exports.schema_for(relative) is not None
    assert schema_errors(relative, load_yaml_file(file, relative).data) == []
    first_line = file.read_text(encoding="utf-8").splitlines()[0]
    up = "../" * (relative.count("/"))
    assert first_line == f"# yaml-language-server: $schema={up}schema/{exports.schema_for(relative)}.schema.json"


def test_the_schema_catches_what_an_editor_gets_wrong():
    data = load_yaml_file(ROOT / "products/bijzondere-bijstand.yaml").data
    assert schema_errors("products/x.yaml", {**data, "samenvating": "typfout"})
    assert schema_errors("products/x.yaml", {**data, "soort": "voorziening"})
    assert schema_errors("products/x.yaml", {**data, "voorwaarden": {"al": []}})
    missing = dict(data)
    del missing["kosten"]
    assert any("kosten" in message for message in schema_errors("products/x.yaml", missing))


def test_the_schema_speaks_dutch_to_the_editor():
    schema = exports.json_schema("product")
    assert schema["title"] == "Product"
    assert "products/<id>.yaml" in schema["description"]
    assert schema["$defs"]["Comparison"]["description"].startswith("Een antwoord vergeleken")
    assert schema["properties"]["samenvatting"]["description"] == "1–2 zinnen in B1"


def test_export_schema_writes_every_file(tmp_path):
    result = CliRunner().invoke(main, ["export", "schema", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.schema.json" for n in exports.SCHEMA_MODELS)


# ---------------------------------------------------------------- Samenwerkende Catalogi

@pytest.fixture(scope="module")
def feed(catalog):
    return ET.fromstring(render_sc_feed(catalog, date=TODAY, modified=lambda p: dt.date(2026, 11, 1)))


def child_tags(element) -> list[str]:
    return [child.tag for child in element]


def test_the_feed_has_one_scproduct_per_product_with_every_required_element(catalog, feed):
    assert feed.tag == OP + "scproducten"
    products = feed.findall(OP + "scproduct")
    assert len(products) == len(catalog.products)
    ids = []
    for record in products:
        assert record.get("owms-version") == "4.0"
        kern = record.find(f"{OP}meta/{OP}owmskern")
        pid = record.findtext(f"{OP}meta/{OP}scmeta/{OP}productID")
        ids.append(pid)
        product = catalog.products[pid]
        assert kern.findtext(DC + "identifier") == f"https://www.voorbeeldstad.nl/producten/{pid}"
        assert kern.findtext(DC + "title") == product.title
        assert kern.findtext(DC + "language") == "nl"
        assert kern.find(DC + "type").attrib == {"scheme": "overheid:Informatietype"}
        assert kern.findtext(DC + "type") == "productbeschrijving"
        assert kern.findtext(DC + "modified") == "2026-11-01"
        for tag in (DC + "spatial", OV + "authority"):
            element = kern.find(tag)
            assert element.text == "Voorbeeldstad"
            assert element.get("scheme") == "overheid:Gemeente"
            assert element.get("resourceIdentifier") == "http://standaarden.overheid.nl/owms/terms/Voorbeeldstad"
        mantel = record.find(f"{OP}meta/{OP}owmsmantel")
        assert mantel.findtext(DC + "audience") == "particulier"
        assert mantel.find(DC + "audience").get("scheme") == "overheid:Doelgroep"
        assert mantel.findtext(DC + "abstract") == " ".join(publishing.paragraphs(product.summary))
        subjects = [s.text for s in mantel.findall(DC + "subject")]
        assert subjects and set(subjects) == {SUBJECTS[d] for d in product.domains}
        scmeta = record.find(f"{OP}meta/{OP}scmeta")
        assert scmeta.findtext(OP + "onlineAanvragen") in ("ja", "nee", "digid")
        if product.content.aanvragen.online:
            assert scmeta.find(OP + "aanvraagURL").get("resourceIdentifier") == product.content.aanvragen.online
        else:
            assert scmeta.find(OP + "aanvraagURL") is None
        html = record.findtext(f"{OP}body/{OP}productHTML")
        body = ET.fromstring(f"<div>{html}</div>")  # well-formed XHTML
        assert body.findtext("p") == product.summary.replace("\a", "")
        assert [h.text for h in body.findall("h2")][:1] == ["Wat krijgt u?"]
    assert sorted(ids) == sorted(catalog.products)


def test_every_uniforme_productnaam_is_in_the_upl_list(catalog, feed):
    for record in feed.iter(OP + "scproduct"):
        pid = record.findtext(f"{OP}meta/{OP}scmeta/{OP}productID")
        names = record.findall(f"{OP}meta/{OP}scmeta/{OP}uniformeProductnaam")
        assert len(names) == 1
        name = names[0]
        uri = name.get("resourceIdentifier")
        assert name.get("scheme") == "overheid:UniformeProductnaam"
        assert catalog.upl[uri] == name.text
        upl = catalog.products[pid].content.upl
        assert (uri, name.text) == ((upl.uri, upl.naam) if upl else UPL_NOT_AVAILABLE)


def test_subjects_audience_and_type_come_from_the_owms_value_lists():
    labels = {e["prefLabel"] for e in json.loads((DATA / "owms/TaxonomieBeleidsagenda.json").read_text())}
    assert set(SUBJECTS.values()) <= labels
    assert "particulier" in {e["prefLabel"] for e in json.loads((DATA / "owms/Doelgroep.json").read_text())}
    assert "productbeschrijving" in {e["prefLabel"] for e in json.loads((DATA / "owms/Informatietype.json").read_text())}


def _order(elements) -> dict[str, list[str]]:
    """For each container tag, the order in which its children first appear."""
    order: dict[str, list[str]] = {}
    for element in elements:
        for parent in element.iter():
            seen = order.setdefault(parent.tag, [])
            for tag in child_tags(parent):
                if tag not in seen:
                    seen.append(tag)
    return order


def test_the_structure_mirrors_the_real_sc_records(feed):
    sample = ET.parse(DATA / "sc-sample-records.xml").getroot()
    assert sample.tag == feed.tag
    expected = _order(sample.findall(OP + "scproduct"))
    ours = _order(feed.findall(OP + "scproduct"))
    for container, tags in ours.items():
        if container not in expected or container == OP + "productHTML":
            continue
        known = [t for t in tags if t in expected[container]]
        assert known == [t for t in expected[container] if t in known], container
        extra = [t for t in tags if t not in expected[container]]
        assert extra in ([], [OP + "aanvraagURL"]), (container, extra)
    for record in feed.iter(OP + "scproduct"):
        assert child_tags(record) == [OP + "meta", OP + "body"]
        assert child_tags(record.find(OP + "meta")) == [OP + "owmskern", OP + "owmsmantel", OP + "scmeta"]
    scmeta_order = [t.split("}")[1] for t in ours[OP + "scmeta"]]
    assert scmeta_order == ["productID", "onlineAanvragen", "aanvraagURL", "uniformeProductnaam"]


def test_text_with_markup_characters_and_quotes_is_escaped(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "tests/content/base", root)
    file = root / "products/minimapas.yaml"
    text = file.read_text(encoding="utf-8")
    text = text.replace("titel: Minimapas", 'titel: "Pas <b>& \\"meer\\" </b>"')
    text = text.replace("kosten: Gratis.", "kosten: \"Gratis <script>alert('x')</script> & 'zo'\"")
    file.write_text(text, encoding="utf-8")
    catalog = load_catalog_or_raise(root, today=TODAY)
    raw = render_sc_feed(catalog, date=TODAY)
    assert b"<script>" not in raw and b"<b>" not in raw
    record = ET.fromstring(raw).find(OP + "scproduct")
    assert record.findtext(f"{OP}meta/{OP}owmskern/{DC}title") == 'Pas <b>& "meer" </b>'
    body = ET.fromstring("<div>" + record.findtext(f"{OP}body/{OP}productHTML") + "</div>")
    assert body.find("script") is None and body.find(".//script") is None
    costs = [p.text for p in body.findall("p")]
    assert "Gratis <script>alert('x')</script> & 'zo'" in costs


def test_control_characters_never_reach_the_xml(catalog):
    raw = render_sc_feed(catalog, date=TODAY)
    assert not any(byte < 0x20 and byte not in (0x09, 0x0A, 0x0D) for byte in raw)


def test_the_municipality_and_website_are_configurable(catalog):
    publisher = Publisher("https://gemeente.example/", "Ergens", "http://standaarden.overheid.nl/owms/terms/Ergens")
    record = ET.fromstring(render_sc_feed(catalog, publisher=publisher, date=TODAY)).find(OP + "scproduct")
    kern = record.find(f"{OP}meta/{OP}owmskern")
    assert kern.findtext(DC + "identifier").startswith("https://gemeente.example/producten/")
    assert kern.findtext(DC + "spatial") == "Ergens"
    assert kern.find(OV + "authority").get("resourceIdentifier").endswith("/Ergens")


def test_export_sc_writes_the_feed(tmp_path):
    out = tmp_path / "sc.xml"
    result = CliRunner().invoke(main, ["export", "sc", "--root", str(ROOT), "--out", str(out),
                                       "--gemeente", "voorbeeldstad"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert len(ET.parse(out).getroot().findall(OP + "scproduct")) == len(list((ROOT / "products").glob("*.yaml")))


def test_export_refuses_broken_content(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "tests/content/base", root)
    (root / "products/minimapas.yaml").write_text("titel: [", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", "sc", "--root", str(root)])
    assert result.exit_code == 1
    assert "products/minimapas.yaml:1:" in result.output and "E100" in result.output


# ---------------------------------------------------------------- JSON and CSV

def test_export_json_describes_every_product_like_the_api(catalog, tmp_path):
    out = tmp_path / "catalogus.json"
    result = CliRunner().invoke(main, ["export", "json", "--root", str(ROOT), "--out", str(out)],
                                env={"CATALOGUS_TODAY": "2026-11-26"})
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["date"] == "2026-11-26"
    assert [p["id"] for p in data["products"]] == [p.id for p in catalog.sorted_products()]
    detail = next(p for p in data["products"] if p["id"] == "bijzondere-bijstand")
    for key in ("id", "title", "kind", "domains", "summary", "url", "upl", "legal_basis", "how_to_apply", "costs",
                "contact", "eligibility"):
        assert key in detail
    assert detail["upl"] == {"name": "bijzonderebijstandsuitkering",
                             "uri": "http://standaarden.overheid.nl/owms/terms/bijzBijstUitk"}
    assert detail["eligibility"]["rule"]["alle"][0] == {"regel": "inwoner"}
    assert "€ 1.821,95 per maand" in json.dumps(detail["eligibility"]["description"], ensure_ascii=False)
    assert "\\u0007" not in out.read_text(encoding="utf-8")


def test_export_csv_has_one_row_per_product(catalog):
    result = CliRunner().invoke(main, ["export", "csv", "--root", str(ROOT), "--base-url", "https://x.example"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == len(catalog.products)
    assert tuple(rows[0]) == exports.CSV_COLUMNS
    row = next(r for r in rows if r["id"] == "bijzondere-bijstand")
    assert row["title"] == "Bijzondere bijstand"
    assert row["kind"] == "provision"
    assert row["domains"] == "geld"
    assert row["upl_uri"] == "http://standaarden.overheid.nl/owms/terms/bijzBijstUitk"
    assert row["legal_basis"] == "Participatiewet, artikel 35"
    assert row["url"] == "https://x.example/producten/bijzondere-bijstand"
    assert row["owner"] == "Team Inkomen"
    assert row["review_by"] == "2027-06-30"
    assert "\n" not in row["summary"]
