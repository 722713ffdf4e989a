"""Editor tooling that writes files: a new product from a template, and ``fmt``.

``fmt`` re-writes YAML with ruamel's round-trip mode, so comments, quotes,
flow style and the editor's line breaks stay; only layout is made uniform
(mapping indent 2, sequence indent 4 with the dash at 2). Lines are never
re-wrapped: where a sentence breaks is the editor's choice.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from .errors import Diagnostic
from .models import PRODUCT_ID
from .yamlio import load_yaml_text

PRODUCT_TEMPLATE = """\
# yaml-language-server: $schema=../schema/product.schema.json
# Nieuw product. Vul elk veld in; `catalogus check` meldt wat nog ontbreekt of niet klopt.
# Uitleg over alle velden en over de regeltaal: docs/content-format.md.
# Schrijf in B1-taal en spreek de inwoner aan met 'u'.
# Zet tekst tussen aanhalingstekens ("zo") als er een dubbele punt met een spatie in staat,
# of als hij alleen uit cijfers bestaat, zoals een telefoonnummer.

# De naam zoals inwoners hem kennen. Bijvoorbeeld: Bijzondere bijstand
titel:
# provision (individuele voorziening: aanvragen bij de gemeente),
# collective (algemene voorziening: zonder aanvraag) of referral (een andere organisatie beslist).
# Bijvoorbeeld: provision
soort:
# Een of meer van: geld, wonen, zorg, gezin, werk, mantelzorg, contact, veiligheid. Bijvoorbeeld: [geld]
domeinen: []
# Eén of twee korte zinnen: voor wie is het en wat krijgt u? Minstens 10 tekens.
# Bijvoorbeeld: Geld voor kosten die u niet zelf kunt betalen.
samenvatting:
# Wat krijgt de inwoner? Een lege regel begint een nieuwe alinea. Bijvoorbeeld: Een bijdrage in de kosten.
wat_krijgt_u:
# Niet verplicht: extra uitleg over voor wie het is. De voorwaarden zelf komen uit 'voorwaarden'.
voor_wie:
aanvragen:
  # De stappen om het aan te vragen, in volgorde. Eén zin of een paar korte zinnen per stap.
  # Bijvoorbeeld: [Vul het formulier in., Stuur uw bankafschriften mee.]
  stappen: []
  # Niet verplicht: de link naar het online formulier (begint met https://).
  online:
# Wat neemt de inwoner mee of stuurt hij mee? Bijvoorbeeld: [Uw identiteitsbewijs]
meenemen: []
# Wat kost het? Schrijf ook 'Gratis.' als het niets kost. Bijvoorbeeld: Gratis.
kosten:
# Niet verplicht: hoe lang duurt het voor er een besluit is? Bijvoorbeeld: U krijgt binnen 8 weken een besluit.
beslistermijn:
# Wie de inwoner helpt. In een regio (map gemeenten/) kan hier ook de naam van een contact van de gemeente
# staan, zoals 'contact: team_inkomen': dan toont elke gemeente haar eigen gegevens (contacten: in gemeente.yaml).
contact:
  # Naam van het team of de organisatie. Geef daarnaast minstens telefoon, e-mail, website of adres.
  # Bijvoorbeeld: Team Inkomen
  naam:
  # Een telefoonnummer altijd tussen aanhalingstekens. Bijvoorbeeld: "14 0555"
  telefoon:
  # Niet verplicht. Bijvoorbeeld: inkomen@voorbeeldstad.nl
  email:
  # Niet verplicht; begint met https://. Bijvoorbeeld: https://www.voorbeeldstad.nl/inkomen
  website:
  # Niet verplicht. Bijvoorbeeld: Stadhuisplein 1, Voorbeeldstad
  adres:
  # Wanneer bereikbaar. Bijvoorbeeld: maandag tot en met vrijdag van 9.00 tot 17.00 uur
  open:
# Niet verplicht, in een regio: true als de centrumgemeente dit voor de hele regio uitvoert. Bijvoorbeeld: false
regionaal: false
# De wet of verordening waar het product op rust.
wettelijke_basis:
  # De wet. Bijvoorbeeld: Participatiewet
  wet:
  # Het artikel. Bijvoorbeeld: artikel 35
  artikel:
  # Link naar de wettekst op wetten.overheid.nl. Bijvoorbeeld: https://wetten.overheid.nl/BWBR0015703
  bron:
# Niet verplicht: de uniforme productnaam uit de UPL-lijst (catalogus/data/UPL-actueel.csv). Bijvoorbeeld:
# upl:
#   naam: bijzonderebijstandsuitkering
#   uri: http://standaarden.overheid.nl/owms/terms/bijzBijstUitk
upl:
# Woorden die inwoners zelf gebruiken als ze dit zoeken. Bijvoorbeeld: [geld tekort, wasmachine kapot]
zoekwoorden: []
# Wie komt in aanmerking? Gebruik vragen uit rules/vragen.yaml en regels uit rules/regels.yaml. Bijvoorbeeld:
# voorwaarden:
#   alle:
#     - regel: inwoner
#     - regel: meerderjarig
#     - {{vraag: netto_inkomen, "<=": {{norm: bijstandsnorm, factor: minima_grens}}}}
voorwaarden:
# Niet verplicht, alleen bij soort provision: hoeveel een huishouden ongeveer krijgt. Een formule met normen uit
# rules/normen.yaml, vragen uit rules/vragen.yaml, getallen, +, - en ×. Zet × 12 bij een maandbedrag in een jaarbedrag.
# bedrag:
#   per: maand                      # maand of jaar
#   formule: bijstandsnorm - netto_inkomen
#   zin: U krijgt dus ongeveer {{bedrag}} aanvulling.
bedrag:
# Niet verplicht, bij een verwijzing: de link naar de eigen berekening van de organisatie, zoals:
# proefberekening:
#   tekst: Reken uit hoeveel u krijgt bij de SVB
#   url: https://www.svb.nl/nl/aio
proefberekening:
# Uitgewerkte voorbeelden: antwoorden en de uitkomst die de regel moet geven (elk voorbeeld is een test).
# verwacht is eligible (past bij u), not_eligible (past niet) of unknown (nog niet bekend).
# Heeft het product een bedrag, zet dan ook verwacht_bedrag: het bedrag in euro's (501.50), of open. Bijvoorbeeld:
# voorbeelden:
#   - naam: Laag inkomen
#     datum: {today}
#     antwoorden: {{woont_in_gemeente: true, leeftijd: 30, leefsituatie: alleenstaand, netto_inkomen: 1200}}
#     verwacht: eligible
voorbeelden: []
# Het team dat deze tekst bijhoudt. Bijvoorbeeld: Team Inkomen
eigenaar:
# Uiterlijk deze datum kijkt de eigenaar de tekst opnieuw na (JJJJ-MM-DD)
herzien_voor: {review}
"""


class ScaffoldError(Exception):
    """A new file cannot be made; the message says why, in Dutch."""


def product_template(today: dt.date) -> str:
    review = today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) else \
        today.replace(year=today.year + 1, day=28)
    return PRODUCT_TEMPLATE.format(today=today.isoformat(), review=review.isoformat())


def new_product(root: Path, product_id: str, *, today: dt.date | None = None) -> Path:
    """Write ``products/<id>.yaml`` from the template; refuse bad ids and existing files."""
    if not PRODUCT_ID.match(product_id):
        raise ScaffoldError(f"'{product_id}' is geen geldig product-id: gebruik kleine letters, cijfers en "
                            "streepjes, bijvoorbeeld bijzondere-bijstand")
    target = Path(root) / "products" / f"{product_id}.yaml"
    if target.exists():
        raise ScaffoldError(f"{target} bestaat al; kies een ander id of pas het bestaande bestand aan")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(product_template(today or dt.date.today()))
    return target


# ---------------------------------------------------------------- fmt

def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap lines
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def format_text(text: str, display_path: str = "<tekst>") -> tuple[str | None, list[Diagnostic]]:
    """Return the formatted text, or None with diagnostics when the file is not safe, valid YAML."""
    loaded = load_yaml_text(text, display_path)  # rejects tags, anchors, aliases and syntax errors
    if not loaded.ok:
        return None, [d for d in loaded.diagnostics if d.is_error]
    yaml = _yaml()
    data = yaml.load(text)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue(), []


def _replace(file: Path, text: str) -> None:
    """Write atomically, so a watching server never reads a half-written file."""
    temporary = file.with_name(f".{file.name}.fmt-tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, file)


@dataclass
class FormatResult:
    path: Path
    changed: bool
    diff: str = ""
    diagnostics: list[Diagnostic] | None = None


def yaml_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.yaml") if p.is_file()))
        elif path.is_file():
            found.append(path)
    return found


def format_files(paths: list[Path], *, write: bool, max_bytes: int = 1_000_000) -> list[FormatResult]:
    """Format every YAML file under ``paths``; write the changes unless only checking."""
    results = []
    for file in yaml_files(paths):
        shown = str(file)
        if file.stat().st_size > max_bytes:
            results.append(FormatResult(file, False, diagnostics=[Diagnostic(shown, 1, 1, "E120",
                                                                             "bestand is te groot om op te maken")]))
            continue
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            results.append(FormatResult(file, False, diagnostics=[Diagnostic(shown, 1, 1, "E100",
                                                                             f"bestand kan niet worden gelezen: {exc}")]))
            continue
        formatted, problems = format_text(text, shown)
        if formatted is None:
            results.append(FormatResult(file, False, diagnostics=problems))
            continue
        changed = formatted != text
        diff = "".join(difflib.unified_diff(text.splitlines(True), formatted.splitlines(True), shown, shown))
        if changed and write:
            _replace(file, formatted)
        results.append(FormatResult(file, changed, diff))
    return results
