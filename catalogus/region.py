"""A region: several municipalities on one installation, one catalogue each.

A content root is either one municipality (``products/`` and ``rules/`` only) or a region: the
regional base in ``products/`` and ``rules/`` (written with the default municipality's values), and
per municipality a folder ``gemeenten/<id>/`` with ``gemeente.yaml`` (its name, numbers, wijkteam,
contacts, and only what differs: norm values, products it does not offer, changed fields) and its own
products in ``producten/``. ``gemeenten/regio.yaml`` names the region, its default municipality and
its centrumgemeente. Each municipality's catalogue is the base with its overlay, validated and compiled
as one ``Catalog``; the checker reports a mistake in the base once, naming the municipalities where it
matters when that is not all of them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import models
from .catalog import NORMS_FILE, PRODUCTS_DIR, RULES_DIR, Catalog, _Builder
from .errors import Diagnostic, did_you_mean, report_order
from .loader import validate_data
from .messages import diagnostic
from .municipality import SINGLE_NAME, Municipality
from .overlay import Overlay
from .questions import join_dutch
from .skipped import CODE as NOTE, HINT as NOTE_HINT, Notes
from .yamlio import SourceMap, load_yaml_file

GEMEENTEN_DIR = "gemeenten"
REGION_FILE = "regio.yaml"
MUNICIPALITY_FILE = "gemeente.yaml"


@dataclass
class Region:
    """The municipalities of one installation and the catalogue of each."""

    name: str
    municipalities: tuple[Municipality, ...]  # the default first, then by name
    catalogs: dict[str, Catalog]
    central: str  # the centrumgemeente: runs the regional products
    diagnostics: list[Diagnostic] = field(default_factory=list)
    single: bool = False  # a content root without gemeenten/

    @property
    def default(self) -> Municipality:
        return self.municipalities[0]

    @property
    def default_catalog(self) -> Catalog:
        return self.catalogs[self.default.id]

    def municipality(self, municipality_id: str) -> Municipality | None:
        return next((m for m in self.municipalities if m.id == municipality_id), None)

    def find(self, municipality_id: str) -> Catalog | None:
        """The catalogue of a municipality a request names; None when the region has no such municipality."""
        return self.catalogs.get(municipality_id) if isinstance(municipality_id, str) else None

    def catalog(self, municipality_id: str | None = None) -> Catalog:
        """The catalogue of a municipality (the default one without an id); KeyError for an unknown id."""
        return self.catalogs[municipality_id or self.default.id]

    @property
    def ids(self) -> list[str]:
        return [m.id for m in self.municipalities]

    @property
    def version(self) -> str:
        return self.default_catalog.version


def is_region(root: Path | str) -> bool:
    return (Path(root) / GEMEENTEN_DIR).is_dir()


def load_region(root: Path | str, *, today: dt.date | None = None, upl_path: Path | None = None,
                single_name: str = SINGLE_NAME, judge_examples: bool = True
                ) -> tuple[Region | None, list[Diagnostic]]:
    """Load every municipality's catalogue under ``root``; the region (None on errors) and every diagnostic.

    ``judge_examples=False`` leaves the worked examples to the caller (``catalogus test`` reports each).
    """
    root = Path(root)
    today = today or dt.date.today()
    if not is_region(root):
        municipality = Municipality.single(single_name)
        catalog, diagnostics = _Builder(root, today, upl_path, Overlay(municipality, None),
                                        judge_examples=judge_examples).build()
        if catalog is None:
            return None, diagnostics
        return Region(f"Gemeente {municipality.name}", (municipality,), {municipality.id: catalog},
                      municipality.id, diagnostics, single=True), diagnostics
    return _RegionBuilder(root, today, upl_path, judge_examples).build()


def load_region_or_raise(root: Path | str, **kwargs) -> Region:
    from .errors import ContentError

    region, diagnostics = load_region(root, **kwargs)
    if region is None:
        raise ContentError(diagnostics)
    return region


class _RegionBuilder:
    def __init__(self, root: Path, today: dt.date, upl_path: Path | None, judge_examples: bool = True):
        self.root = root
        self.today = today
        self.upl_path = upl_path
        self.judge_examples = judge_examples
        self.diagnostics: list[Diagnostic] = []
        self.unreadable: dict[str, str] = {}  # municipality id -> its gemeente.yaml, when that has errors

    def shown(self, file: Path) -> str:
        return file.relative_to(self.root).as_posix()

    def load(self, file: Path, model):
        loaded = load_yaml_file(file, self.shown(file))
        self.diagnostics.extend(loaded.diagnostics)
        # A duplicate key still leaves a readable file (the first value kept): check the rest of it too,
        # so that one mistake does not hide the next. Only unreadable YAML stops here.
        if loaded.data is None:
            return None, None, loaded.source
        parsed, found = validate_data(loaded.data, loaded.source, model)
        self.diagnostics.extend(found)
        return parsed, loaded.data, loaded.source

    def build(self) -> tuple[Region | None, list[Diagnostic]]:
        folder = self.root / GEMEENTEN_DIR
        region_path = folder / REGION_FILE
        region_file = region_source = None
        if region_path.exists():
            region_file, _, region_source = self.load(region_path, models.RegionFile)
        else:
            self.diagnostics.append(diagnostic(SourceMap(f"{GEMEENTEN_DIR}/"), (), "region_file_missing"))
        overlays = self.overlays(folder)
        ids = [overlay.municipality.id for overlay in overlays]
        if region_file is not None:
            for key in ("standaard", "centrumgemeente"):
                wanted = getattr(region_file, key)
                if wanted not in ids and wanted not in self.unreadable:  # a broken gemeente.yaml says why
                    self.diagnostics.append(diagnostic(region_source, (key,), "unknown_municipality",
                        municipality=wanted, hint=did_you_mean(wanted, ids) or _known(ids)))
        if region_file is None or not overlays:
            if region_file is None and (overlays or self.unreadable):
                shown = region_source.path if region_source is not None else f"{GEMEENTEN_DIR}/"
                self.diagnostics.append(Diagnostic(shown, 1, 1, NOTE, "niet gecontroleerd door de fouten in dit "
                    "bestand: de catalogus van elke gemeente", NOTE_HINT, "info"))
            return None, self.finish({})
        default = region_file.standaard
        for municipality_id, shown in self.unreadable.items():
            what = "de catalogus van deze gemeente"
            if municipality_id == default:
                what += " en de voorbeelden zonder 'gemeente:' (dit is de standaardgemeente)"
            self.diagnostics.append(Diagnostic(shown, 1, 1, NOTE, "niet gecontroleerd door de fouten in dit bestand: "
                                               + what, NOTE_HINT, "info"))
        overlays = [dataclasses.replace(o, municipality=dataclasses.replace(o.municipality,
                                                                            default=o.municipality.id == default))
                    for o in overlays]
        overlays.sort(key=lambda o: (not o.municipality.default, o.municipality.name.lower()))
        norms = _base_norms(self.root)
        catalogs: dict[str, Catalog] = {}
        found: dict[str, list[Diagnostic]] = {}
        notes = Notes()  # one note per file for the whole region, not one per municipality
        for overlay in overlays:
            overlay.check_names(norms)
            builder = _Builder(self.root, self.today, self.upl_path, overlay, frozenset(ids) | set(self.unreadable),
                               judge_examples=self.judge_examples)
            catalog, diagnostics = builder.build()
            found[overlay.municipality.id] = [d for d in diagnostics if d.code != NOTE]
            notes.merge(builder.notes)
            if catalog is not None:
                catalogs[overlay.municipality.id] = catalog
        self.diagnostics.extend(notes.diagnostics())
        diagnostics = self.finish(found, {o.municipality.id: o.municipality.name for o in overlays})
        if len(catalogs) < len(overlays) or any(d.is_error for d in diagnostics):
            return None, diagnostics
        region = Region(region_file.naam, tuple(o.municipality for o in overlays), catalogs,
                        region_file.centrumgemeente, diagnostics)
        return region, diagnostics

    def overlays(self, folder: Path) -> list[Overlay]:
        base_products = frozenset(f.stem for f in (self.root / PRODUCTS_DIR).glob("*.yaml"))
        found = []
        for place in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
            shown = self.shown(place)
            if not models.PRODUCT_ID.match(place.name):
                self.diagnostics.append(Diagnostic(shown, 1, 1, "E110",
                    f"mapnaam '{place.name}' is geen geldig gemeente-id",
                    "gebruik kleine letters, cijfers en streepjes, bijvoorbeeld gemeenten/sint-oedenrode"))
                continue
            file = place / MUNICIPALITY_FILE
            if not file.exists():
                self.diagnostics.append(diagnostic(SourceMap(shown + "/"), (), "municipality_file_missing",
                                                   folder=shown))
                continue
            parsed, data, source = self.load(file, models.MunicipalityFile)
            if parsed is None:
                self.unreadable[place.name] = self.shown(file)
                continue
            municipality = Municipality(place.name, parsed.naam, False, parsed.telefoon, parsed.open, parsed.owms)
            found.append(Overlay(municipality, parsed, data, source, place, base_products))
        return found

    def finish(self, found: dict[str, list[Diagnostic]], names: dict[str, str] | None = None) -> list[Diagnostic]:
        """Every diagnostic once; one in the base that only some municipalities have names them."""
        where: dict[Diagnostic, list[str]] = defaultdict(list)
        for municipality_id, diagnostics in found.items():
            for d in diagnostics:
                where[d].append(municipality_id)
        result = list(self.diagnostics)
        for d, ids in where.items():
            if len(ids) < len(found) and not d.path.startswith(GEMEENTEN_DIR + "/"):
                d = dataclasses.replace(d, message=f"{d.message} (in gemeente {join_dutch([names[i] for i in ids])})")
            result.append(d)
        return sorted(set(result), key=report_order)


def _known(ids: list[str]) -> str:
    return "gemeenten in deze regio: " + ", ".join(ids) if ids else "maak een map gemeenten/<id>/ met gemeente.yaml"


def _base_norms(root: Path) -> set[str] | None:
    """The ids of the base's norms; None when rules/normen.yaml does not load (its own errors say why)."""
    file = root / RULES_DIR / NORMS_FILE
    if not file.exists():
        return None
    loaded = load_yaml_file(file, f"{RULES_DIR}/{NORMS_FILE}")
    if not isinstance(loaded.data, dict) or not isinstance(loaded.data.get("normen"), dict):
        return None
    return set(loaded.data["normen"])
