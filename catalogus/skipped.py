"""What the checker could not check because a file it depends on has errors, said once per file.

``catalogus check`` goes on after a mistake: it compiles every rule it can and runs the worked
examples of every product whose own file and whatever that product's rule needs (the shared rules
in ``rules/``, the norms, the products it points at) are sound. What it had to leave out is no
silent gap: one note (I100) per file with errors names the checks that file kept from running.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from . import models
from .errors import Diagnostic
from .questions import join_dutch
from .words import count

CODE = "I100"
HINT = "los eerst de fouten in dit bestand op en voer catalogus check opnieuw uit"
SHOWN_PRODUCTS = 5  # products named in a note; the rest are counted


@dataclass(frozen=True)
class Needs:
    """What a rule needs besides its own text: the products it points at, and files with errors that kept
    part of it from compiling."""

    products: frozenset[str] = frozenset()
    files: frozenset[str] = frozenset()

    def __or__(self, other: "Needs") -> "Needs":
        return Needs(self.products | other.products, self.files | other.files)


class Dependencies:
    """Walk rule models (not compiled nodes, which a mistake leaves out) to find what each rule needs."""

    def __init__(self, named: Mapping[str, Any], compiled_names: Iterable[str], broken: Iterable[str], *,
                 norms_file: str | None = None, names_files: Iterable[str] = ()):
        self.named = named  # name -> NamedSource: the shared rules and life domains that loaded
        self.compiled_names = frozenset(compiled_names)
        self.broken = frozenset(broken)  # products whose own file has errors
        self.norms_file = norms_file  # rules/normen.yaml when it does not load
        self.names_files = frozenset(names_files)  # rules/regels.yaml, rules/routering.yaml when they do not load
        self._memo: dict[str, Needs] = {}

    def of_rule(self, model: Any) -> Needs:
        parts = _parts(model)
        if parts is not None:
            found = Needs()
            for part in parts:
                found |= self.of_rule(part)
            return found
        if isinstance(model, models.SharedRef):
            return self.of_named(model.regel)
        if isinstance(model, models.ProductRef):
            return Needs(products=frozenset({model.product}))
        if isinstance(model, models.Comparison) and isinstance(model.operand, models.NormRef) and self.norms_file:
            return Needs(files=frozenset({self.norms_file}))
        return Needs()

    def of_named(self, name: str) -> Needs:
        if name in self._memo:
            return self._memo[name]
        self._memo[name] = Needs()  # a circle is reported (E206) where it is written
        entry = self.named.get(name)
        if entry is None:  # unknown: reported (E205) where it is used, unless its file did not load
            found = Needs(files=self.names_files)
        else:
            found = self.of_rule(entry.model)
            if name not in self.compiled_names and not found.files and not found.products & self.broken:
                found |= Needs(files=frozenset({entry.source.path}))  # a mistake in the shared rule itself
        self._memo[name] = found
        return found


def _parts(model: Any) -> list | None:
    if isinstance(model, models.AllOf):
        return list(model.alle)
    if isinstance(model, models.AnyOf):
        return list(model.een_van)
    if isinstance(model, models.AtLeast):
        return list(model.van)
    if isinstance(model, models.Not):
        return [model.niet]
    return None


class Runnable:
    """Which products can run their worked examples, and for the others, which files with errors stop them."""

    def __init__(self, compiled: Iterable[str], needs: Mapping[str, Needs], files: Mapping[str, str],
                 broken: Iterable[str], own_errors: Iterable[str]):
        self.compiled = frozenset(compiled)  # products whose rule compiled
        self.needs = needs
        self.files = files  # product id -> its file
        self.broken = frozenset(broken)
        self.own_errors = frozenset(own_errors)  # products whose rule has a mistake of its own
        self._state: dict[str, bool] = {}

    def __contains__(self, pid: str) -> bool:
        if pid in self._state:
            return self._state[pid]
        self._state[pid] = False  # a product in a circle (E206) cannot run
        needs = self.needs.get(pid, Needs())
        result = pid in self.compiled and not needs.files and all(q in self for q in sorted(needs.products))
        self._state[pid] = result
        return result

    def blockers(self, pid: str, seen: set[str] | None = None) -> set[str]:
        """The files whose errors keep ``pid``'s examples from running."""
        seen = set() if seen is None else seen
        if pid in seen or pid not in self.files:
            return set()
        seen.add(pid)
        # Its own file first, so that the notes name each skipped example once.
        if pid in self.broken or pid in self.own_errors:
            return {self.files[pid]}
        needs = self.needs.get(pid, Needs())
        found = set(needs.files)
        for other in sorted(needs.products):
            if other not in self:
                found |= self.blockers(other, seen)
        return found or {self.files[pid]}  # nothing else: a circle (E206) through this product


class Notes:
    """Per file with errors, what its errors kept the checker from checking; one I100 note per file."""

    def __init__(self) -> None:
        self._items: dict[str, list[str]] = {}
        self._examples: dict[str, list[str]] = {}  # file -> products whose examples it stopped
        self._own: dict[str, Any] = {}  # file -> source of the product written in it, when its own examples stopped

    def add(self, file: str, what: str) -> None:
        items = self._items.setdefault(file, [])
        if what not in items:
            items.append(what)

    def examples_stopped(self, file: str, pid: str, own_source: Any = None) -> None:
        """``file``'s errors keep the examples of product ``pid`` from running (``own_source``: pid lives there)."""
        if own_source is not None:
            self._own[file] = own_source
            return
        products = self._examples.setdefault(file, [])
        if pid not in products:
            products.append(pid)

    def merge(self, other: "Notes") -> None:
        """Add what ``other`` (the notes of another municipality of the region) says."""
        for file, items in other._items.items():
            for what in items:
                self.add(file, what)
        for file, products in other._examples.items():
            for pid in products:
                self.examples_stopped(file, pid)
        for file, source in other._own.items():
            self._own.setdefault(file, source)

    def diagnostics(self) -> list[Diagnostic]:
        found = []
        for file in sorted(set(self._items) | set(self._examples) | set(self._own)):
            items = list(self._items.get(file, ()))
            if file in self._own:
                items.append("de voorbeelden van dit product")
            if file in self._examples:
                items.append("de voorbeelden van " + products_named(sorted(self._examples[file])))
            message = "niet gecontroleerd door de fouten in dit bestand: " + join_dutch(items)
            if file in self._own:
                note = self._own[file].diagnostic(("voorbeelden",), CODE, message, HINT, prefer_key=True,
                                                  severity="info")
                if note.path == file:
                    found.append(note)
                    continue
            found.append(Diagnostic(file, 1, 1, CODE, message, HINT, "info"))
        return found


def products_named(ids: list[str]) -> str:
    """'a, b en c', or the first few and how many more.

    >>> products_named(["a", "b"]), products_named([str(i) for i in range(7)])
    ('a en b', '0, 1, 2, 3, 4 en 2 andere producten')
    """
    if len(ids) <= SHOWN_PRODUCTS:
        return join_dutch(ids)
    rest = len(ids) - SHOWN_PRODUCTS
    return join_dutch(ids[:SHOWN_PRODUCTS] + [count(rest, "ander product", "andere producten")])
