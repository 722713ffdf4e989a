"""One municipality's view of the regional base: its overlay applied to each content file before validation.

A file of the base (``rules/*.yaml``, ``products/*.yaml``) is loaded once; for each municipality the
overlay (``gemeenten/<id>/gemeente.yaml``) changes a copy of its data: a norm's values, the wijkteam,
the fields of a product, the contact a product names. Placeholders in text (``{gemeente}``,
``{website}``, ``{wijkteam_telefoon}``, ...) get the municipality's words. The merged data keeps a ``LayeredSource``, so every
diagnostic points at the file and line where the offending value was written.
"""

from __future__ import annotations

import re

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import Diagnostic, did_you_mean
from .messages import diagnostic
from .models import NORM_GONE, MunicipalityFile
from .municipality import Municipality
from .yamlio import Layer, LayeredSource, SourceMap

NORMS_FILE = "normen.yaml"
ROUTING_FILE = "routering.yaml"
TEAM_KEY = "wijkteam"


#: every placeholder content may use; the municipality gives each its words (``Overlay.words``)
PLACEHOLDERS = ("gemeente", "telefoon", "website", "domein", "wijkteam_telefoon")
#: placeholders of one field, filled when that field is shown (an amount's ``zin``, a rule's ``bevat``); their
#: own models check where they may stand
FIELD_PLACEHOLDERS = ("bedrag", "waarden")
_BRACED = re.compile(r"\{([a-z_]+)\}")


def fill(data: Any, words: dict[str, str], path: tuple = (), left: list | None = None) -> Any:
    """A copy of ``data`` with every ``{name}`` placeholder in its text replaced (the cached original stays).

    Placeholders without a value here, and ``{words}`` that are no placeholder at all, are kept, and their
    place is added to ``left``.
    """
    if isinstance(data, str):
        if "{" in data:
            if left is not None:
                left.extend((path, name) for name in _BRACED.findall(data) if name not in PLACEHOLDERS + FIELD_PLACEHOLDERS)
            for name in PLACEHOLDERS:
                marker = "{" + name + "}"
                if marker in data:
                    if name in words:
                        data = data.replace(marker, words[name])
                    elif left is not None:
                        left.append((path, name))
        return data
    if isinstance(data, dict):
        return {key: fill(value, words, path + (key,), left) for key, value in data.items()}
    if isinstance(data, list):
        return [fill(value, words, path + (i,), left) for i, value in enumerate(data)]
    return data


def merged(base: Any, change: Any) -> Any:
    """``change`` laid over ``base``: blocks merge field by field, a list or a value replaces the old one."""
    if isinstance(base, dict) and isinstance(change, dict):
        out = dict(base)
        for key, value in change.items():
            out[key] = merged(base[key], value) if key in base else value
        return out
    return change


@dataclass
class Overlay:
    """What one municipality changes, with where it wrote it."""

    municipality: Municipality
    file: MunicipalityFile | None  # None: a content root without gemeenten/ (one municipality)
    data: dict[str, Any] = field(default_factory=dict)  # gemeente.yaml as loaded (merged into the base's data)
    source: SourceMap | None = None
    folder: Path | None = None  # gemeenten/<id>/: its own products are in producten/ there
    base_products: frozenset[str] = frozenset()
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def words(self) -> dict[str, str]:
        """What the placeholders in the content become for this municipality (one municipality without
        gemeenten/: only its name and number)."""
        words = {"gemeente": self.municipality.name, "telefoon": self.municipality.phone}
        if self.file is not None:
            site = self.file.website.removeprefix("https://")
            words.update(website=site, domein=site.removeprefix("www."), wijkteam_telefoon=self.file.wijkteam.telefoon)
        return words

    @property
    def removed(self) -> frozenset[str]:
        return frozenset(self.file.niet_aangeboden) if self.file is not None else frozenset()

    # ------------------------------------------------------------ what the overlay itself names

    def check_names(self, norms: set[str] | None) -> None:
        """Every product and norm the overlay changes or removes must exist in the base.

        ``norms`` is None when ``rules/normen.yaml`` does not load: its names are then unknown, not missing.
        """
        if self.file is None:
            return
        for i, pid in enumerate(self.file.niet_aangeboden):
            if pid not in self.base_products:
                self.diagnostics.append(diagnostic(self.source, ("niet_aangeboden", i), "overlay_unknown_product",
                    product=pid, hint=did_you_mean(pid, self.base_products) or "zie de map products/"))
        for pid in self.file.producten:
            if pid not in self.base_products:
                self.diagnostics.append(diagnostic(self.source, ("producten", pid), "overlay_unknown_product",
                    prefer_key=True, product=pid, hint=did_you_mean(pid, self.base_products)
                    or "een eigen product zet u in een eigen bestand in de map producten/ van de gemeente"))
            elif not isinstance(self.data["producten"][pid], dict):
                self.diagnostics.append(diagnostic(self.source, ("producten", pid), "overlay_not_a_block",
                                                   product=pid))
        for nid in self.file.normen:
            if norms is not None and nid not in norms:
                self.diagnostics.append(diagnostic(self.source, ("normen", nid), "overlay_unknown_norm",
                    prefer_key=True, norm=nid, hint=did_you_mean(nid, norms) or "een gemeente verandert alleen "
                    "de waarden van normen die er al zijn"))

    # ------------------------------------------------------------ applying it

    def rules_file(self, name: str, data: Any, source: SourceMap) -> tuple[Any, Any]:
        """A file of ``rules/`` as this municipality sees it."""
        layers: list[Layer] = []
        if self.file is not None and isinstance(data, dict):
            if name == NORMS_FILE and isinstance(data.get("normen"), dict):
                norms = dict(data["normen"])
                for nid, change in self.data.get("normen", {}).items():
                    if nid not in norms:
                        continue  # reported by check_names
                    if change == NORM_GONE:
                        del norms[nid]
                    elif isinstance(change, dict) and isinstance(norms[nid], dict):
                        norms[nid] = merged(norms[nid], change)
                data = {**data, "normen": norms}
                layers.append(Layer(self.source, (), ()))  # gemeente.yaml's normen: mirror normen.yaml's paths
            elif name == ROUTING_FILE:
                data = {**data, TEAM_KEY: self.data[TEAM_KEY]}
                layers.append(Layer(self.source, (TEAM_KEY,), (TEAM_KEY,)))
        source = LayeredSource(source, layers) if layers else source
        return self._filled(data, source), source

    def product(self, pid: str, data: Any, source: SourceMap, *, own: bool) -> tuple[Any, Any]:
        """A product file as this municipality offers it (the base's, with the overlay's changes)."""
        if not isinstance(data, dict):
            return data, source
        layers: list[Layer] = []
        change = self.data.get("producten", {}).get(pid) if self.file is not None and not own else None
        if isinstance(change, dict):
            data = merged(data, change)
            layers.append(Layer(self.source, (), ("producten", pid)))
        reference = data.get("contact")
        if isinstance(reference, str):
            data, layer = self._contact(data, reference, LayeredSource(source, layers) if layers else source)
            if layer is not None:
                layers.append(layer)
        source = LayeredSource(source, layers) if layers else source
        return self._filled(data, source), source

    def _filled(self, data: Any, source: Any) -> Any:
        left: list = []
        data = fill(data, self.words, (), left)
        for path, name in left:
            if name not in PLACEHOLDERS:
                hint = did_you_mean("{" + name + "}", ["{" + p + "}" for p in PLACEHOLDERS]) or (
                    "plaatshouders zijn " + ", ".join("{" + p + "}" for p in PLACEHOLDERS))
                self.diagnostics.append(diagnostic(source, path, "unknown_placeholder", name=name, hint=hint))
                continue
            hint = (f"'{{{name}}}' komt uit gemeenten/<id>/gemeente.yaml; zonder map gemeenten/ schrijft u de "
                    "tekst voluit") if self.file is None else f"'{{{name}}}' kan hier niet"
            self.diagnostics.append(diagnostic(source, path, "placeholder_without_value", name=name, hint=hint))
        return data

    def _contact(self, data: dict, reference: str, source: Any) -> tuple[dict, Layer | None]:
        if self.file is None:
            self.diagnostics.append(diagnostic(source, ("contact",), "contact_without_region", contact=reference))
            return data, None
        book = {**self.file.contacten, TEAM_KEY: self.file.wijkteam}
        if reference not in book:
            # The same words for every municipality that lacks it, so that the checker reports it once (naming
            # the municipalities only when some have it).
            hint = did_you_mean(reference, book) or (
                f"voeg '{reference}:' toe onder contacten: in gemeenten/<id>/gemeente.yaml")
            self.diagnostics.append(diagnostic(source, ("contact",), "unknown_contact", contact=reference,
                                               hint=hint))
            return data, None
        theirs = (TEAM_KEY,) if reference == TEAM_KEY else ("contacten", reference)
        written = self.data[TEAM_KEY] if reference == TEAM_KEY else self.data["contacten"][reference]
        return {**data, "contact": written}, Layer(self.source, ("contact",), theirs)
