"""The catalogue for other systems: JSON Schema for editors, JSON and CSV dumps.

The Samenwerkende Catalogi feed lives in ``catalogus.sc``; everything here is
plain data built from one validated ``Catalog``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import models
from .catalog import Catalog, Product
from .publishing import DEFAULT_BASE_URL, clean_text, norms_day, paragraphs, product_url
from .wording import Description


# ---------------------------------------------------------------- JSON Schema

# One schema per file kind; the file name is ``<name>.schema.json``.
SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "product": models.ProductFile,
    "vragen": models.QuestionsFile,
    "normen": models.NormsFile,
    "regels": models.SharedRulesFile,
    "routering": models.RoutingFile,
    "synoniemen": models.SynonymsFile,
    "stappen": models.StepsFile,
    "regio": models.RegionFile,
    "gemeente": models.MunicipalityFile,
}

# Dutch titles and descriptions for the editor; the models' docstrings are English.
DUTCH_DEFS: dict[str, tuple[str, str]] = {
    "ProductFile": ("Product", "Eén product, collectieve voorziening of verwijzing: products/<id>.yaml."),
    "QuestionsFile": ("Vragenlijst", "De vragenlijst: rules/vragen.yaml."),
    "NormsFile": ("Normen", "Gedateerde normen: rules/normen.yaml."),
    "SharedRulesFile": ("Gedeelde voorwaarden", "Gedeelde voorwaarden: rules/regels.yaml."),
    "RoutingFile": ("Routering", "Routering naar een casemanager van het wijkteam: rules/routering.yaml."),
    "StepsFile": ("Stappen", "De schermen van de check, in de volgorde van een gesprek: rules/stappen.yaml."),
    "StepDef": ("Stap", "Eén scherm van de check: een paar vragen die bij elkaar horen."),
    "RegionFile": ("Regio", "De regio: gemeenten/regio.yaml (naam, standaardgemeente, centrumgemeente)."),
    "MunicipalityFile": ("Gemeente", "Eén gemeente van de regio: gemeenten/<id>/gemeente.yaml. Alleen wat anders "
                                     "is dan de basis in products/ en rules/."),
    "NormOverride": ("Eigen waarden", "De waarden van een norm uit rules/normen.yaml in deze gemeente."),
    "TeamContact": ("Wijkteam", "Het wijkteam: naam, telefoon (ook voor hulp dezelfde dag), e-mail, adres, open."),
    "SynonymsFile": ("Synoniemen", "Zoekwoorden van inwoners: rules/synoniemen.yaml. 'synoniemen' vult een "
                                   "woord aan met woorden van de catalogus; 'gelijk' noemt groepen woorden "
                                   "die hetzelfde betekenen."),
    "AllOf": ("Alle", "Alle voorwaarden moeten gelden."),
    "AnyOf": ("Een van", "Minstens één van de voorwaarden moet gelden."),
    "Not": ("Niet", "De voorwaarde geldt niet."),
    "AtLeast": ("Minstens", "Minstens zoveel van de voorwaarden moeten gelden."),
    "SharedRef": ("Regel", "Een gedeelde voorwaarde uit rules/regels.yaml of een levensgebied uit "
                           "rules/routering.yaml."),
    "ProductRef": ("Product", "Geldt als de inwoner in aanmerking komt voor dat product."),
    "Comparison": ("Vraag", "Een antwoord vergeleken met een vaste waarde of een norm. Gebruik precies één "
                            "operator: =, !=, in, bevat, bevat_iets_anders_dan, >=, >, <= of <."),
    "Explanation": ("Uitleg", "Eigen B1-zinnen die de gegenereerde redenen vervangen."),
    "NormRef": ("Norm", "Een gedateerde norm, eventueel keer een factor (een getal of een factor-norm)."),
    "Application": ("Aanvragen", "Hoe vraagt een inwoner het aan?"),
    "Contact": ("Contact", "Met wie neemt de inwoner contact op? Minstens een telefoon, e-mail, website of adres."),
    "LegalBasis": ("Wettelijke basis", "De wet en het artikel, met een link naar de wettekst."),
    "UplEntry": ("UPL", "Uniforme productnaam: naam en URI uit de UPL-lijst."),
    "Example": ("Voorbeeld", "Een uitgewerkt voorbeeld: antwoorden en de status (en eventueel het bedrag) die de "
                             "check moet geven."),
    "AmountDef": ("Bedrag", "Wat een huishouden ongeveer krijgt: een formule met normen, vragen, getallen, + - × "
                            "en haakjes. Alleen bij soort provision. Zie docs/content-format.md."),
    "OwnCalculation": ("Proefberekening", "Link naar de eigen berekening van de organisatie die beslist (bij een "
                                          "verwijzing); de check noemt dan geen bedrag."),
    "Option": ("Keuze", "Een keuze bij een vraag."),
    "ReasonWords": ("Reden", "Zinnen die een antwoord noemen, voor de gegenereerde redenen."),
    "QuestionDef": ("Vraag", "Eén vraag van de vragenlijst."),
    "AgeBand": ("Leeftijd", "Leeftijdsband: van (inclusief) tot (exclusief); een getal of het id van een "
                            "leeftijdsnorm."),
    "NormVariant": ("Variant", "De waarde van een norm voor bepaalde leefsituaties en leeftijden."),
    "NormValue": ("Waarde", "De waarde van een norm vanaf een datum, met de bron."),
    "NormDef": ("Norm", "Eén gedateerde norm."),
    "SharedRule": ("Gedeelde voorwaarde", "Een voorwaarde met een naam, die producten gebruiken met 'regel:'."),
    "LifeDomain": ("Levensgebied", "Een levensgebied voor de routering naar een casemanager."),
    "UrgentContact": ("Urgent contact", "Het contact dat bovenaan de uitslag staat als het signaal geldt."),
    "UrgentSignal": ("Urgent signaal", "Een voorwaarde die de situatie urgent maakt, met het contact."),
    "RouteDef": ("Route", "Wanneer de inwoner een casemanager van het wijkteam krijgt."),
    "TeamContact": ("Wijkteam", "Contactgegevens van het wijkteam."),
}


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one file kind, with Dutch titles and descriptions."""
    model = SCHEMA_MODELS[name]
    schema = model.model_json_schema(by_alias=True)
    for def_name, definition in schema.get("$defs", {}).items():
        _dutch(definition, def_name)
    _dutch(schema, model.__name__)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _dutch(definition: dict, model_name: str) -> None:
    title, description = DUTCH_DEFS.get(model_name, (None, None))
    if title:
        definition["title"] = title
    if description:
        definition["description"] = description
    else:
        definition.pop("description", None)  # an English docstring is no help to an editor


def schema_text(name: str) -> str:
    return json.dumps(json_schema(name), ensure_ascii=False, indent=2) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write every ``<name>.schema.json`` into ``out``; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCHEMA_MODELS:
        file = out / f"{name}.schema.json"
        file.write_text(schema_text(name), encoding="utf-8")
        written.append(file)
    return written


def schema_for(relative_path: str) -> str | None:
    """Which schema applies to a content file (``products/x.yaml`` -> ``product``)."""
    parts = Path(relative_path).parts
    if len(parts) == 2 and parts[0] == "products":
        return "product"
    if parts[:1] == ("gemeenten",):
        if len(parts) == 2 and parts[1] == "regio.yaml":
            return "regio"
        if len(parts) == 3 and parts[2] == "gemeente.yaml":
            return "gemeente"
        if len(parts) == 4 and parts[2] == "producten":
            return "product"
    if len(parts) == 2 and parts[0] == "rules":
        stem = Path(parts[1]).stem
        return stem if stem in SCHEMA_MODELS and stem != "product" else None
    return None


def description_to_json(description: Description) -> dict[str, Any]:
    data: dict[str, Any] = {"text": clean_text(description.text)}
    if description.limits:
        data["limits"] = [{"lead": lead, "lines": lines} for lead, lines in description.limits]
    if description.children:
        data["children"] = [description_to_json(child) for child in description.children]
    return data


# ---------------------------------------------------------------- JSON

def product_detail(catalog: Catalog, product: Product, *, base_url: str = DEFAULT_BASE_URL,
                   date: dt.date | None = None) -> dict[str, Any]:
    """One product as other systems get it (the API's product detail, plus the editorial fields)."""
    c = product.content
    day = norms_day(catalog, date or dt.date.today())
    return {
        "id": product.id,
        "title": clean_text(product.title),
        "kind": product.kind,
        "domains": product.domains,
        "summary": clean_text(product.summary),
        "url": product_url(base_url, product.id),
        "what_you_get": paragraphs(c.wat_krijgt_u),
        "for_whom": paragraphs(c.voor_wie),
        "how_to_apply": {"steps": [clean_text(s) for s in c.aanvragen.stappen], "online": c.aanvragen.online},
        "what_to_bring": [clean_text(s) for s in c.meenemen],
        "costs": clean_text(c.kosten),
        "decision_term": clean_text(c.beslistermijn) if c.beslistermijn else None,
        "contact": {k: clean_text(v) for k, v in c.contact.model_dump(exclude_none=True).items()},
        "legal_basis": {"law": c.wettelijke_basis.wet, "article": c.wettelijke_basis.artikel,
                        "url": c.wettelijke_basis.bron},
        "upl": {"name": c.upl.naam, "uri": c.upl.uri} if c.upl else None,
        "keywords": list(c.zoekwoorden),
        "eligibility": {
            "rule": c.voorwaarden.model_dump(by_alias=True, exclude_none=True),
            "description": description_to_json(catalog.describe(product.rule, day)),
        },
        "amount": c.bedrag.model_dump(exclude_none=True) if c.bedrag else None,
        "own_calculation": c.proefberekening.model_dump() if c.proefberekening else None,
        "owner": c.eigenaar,
        "review_by": c.herzien_voor.isoformat(),
    }


def catalog_json(catalog: Catalog, *, base_url: str = DEFAULT_BASE_URL, date: dt.date | None = None) -> str:
    """The whole catalogue as one JSON document."""
    date = date or dt.date.today()
    data = {
        "version": catalog.version,
        "date": date.isoformat(),
        "products": [product_detail(catalog, p, base_url=base_url, date=date) for p in catalog.sorted_products()],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- CSV

CSV_COLUMNS = ("id", "title", "kind", "domains", "summary", "upl_uri", "legal_basis", "legal_basis_url",
               "url", "owner", "review_by")


def catalog_csv(catalog: Catalog, *, base_url: str = DEFAULT_BASE_URL) -> str:
    """One row per product; several domains are separated by ``;``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for product in catalog.sorted_products():
        c = product.content
        basis = ", ".join(part for part in (c.wettelijke_basis.wet, c.wettelijke_basis.artikel) if part)
        writer.writerow([
            product.id, clean_text(product.title), product.kind, ";".join(product.domains),
            " ".join(paragraphs(product.summary)), c.upl.uri if c.upl else "", clean_text(basis),
            c.wettelijke_basis.bron or "", product_url(base_url, product.id), c.eigenaar,
            c.herzien_voor.isoformat(),
        ])
    return out.getvalue()
