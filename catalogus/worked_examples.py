"""The worked examples of the products (``voorbeelden:``), judged while the catalogue is checked.

Each example's answers and date are always checked (E502); its outcome (E501) and amount (E503) only when the
product's file and everything its rule needs are sound (``skipped.Runnable``). ``catalogus test`` runs the
same examples for a report (``examples.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import models
from .errors import Diagnostic, NormDateError, did_you_mean
from .messages import diagnostic
from .models import Status
from .municipality import Municipality
from .rules import Env
from .skipped import Notes, Runnable
from .yamlio import SourceMap

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog, Product


def examples_for(here: Municipality, own: bool, examples: list[models.Example]) -> list[tuple[int, models.Example]]:
    """The examples (with their index) that hold for municipality ``here``; ``own``: the product is its own."""
    return [(i, example) for i, example in enumerate(examples)
            if (here.id in example.gemeente if example.gemeente is not None else here.default or own)]


class WorkedExamples:
    """Judges the examples of one catalogue; its findings go to the checker's diagnostics and notes."""

    def __init__(self, diagnostics: list[Diagnostic], notes: Notes, files: dict, own: set[str] | frozenset[str],
                 municipalities, norms_known: bool, questions_path: str):
        self.diagnostics = diagnostics
        self.notes = notes
        self.files = files  # product id -> its file (for the notes)
        self.own = own  # this municipality's own products
        self.municipalities = municipalities  # ids of the region's municipalities (examples may name them)
        self.norms_known = norms_known
        self.questions_path = questions_path

    def check(self, catalog: Catalog, checked, runnable: Runnable) -> None:
        """Judge every worked example: its answers and date always; its outcome when the product can run."""
        known = self.municipalities or {catalog.municipality.id}
        for pid, (pf, source) in checked.items():
            for i, example in enumerate(pf.voorbeelden):
                for j, named in enumerate(example.gemeente or ()):
                    if named not in known:
                        self.diagnostics.append(diagnostic(source, ("voorbeelden", i, "gemeente", j),
                            "unknown_municipality", municipality=named, hint=did_you_mean(named, known)
                            or "gemeenten: " + ", ".join(sorted(known))))
            here_examples = examples_for(catalog.municipality, pid in self.own, pf.voorbeelden)
            if here_examples and pid not in runnable:
                for file in sorted(runnable.blockers(pid)):
                    self.notes.examples_stopped(file, pid, source if file == self.files.get(pid) else None)
            for i, example in here_examples:
                env = self.example_env(catalog, example, source, ("voorbeelden", i))
                if env is not None and pid in runnable:
                    self.judge_example(catalog, catalog.products[pid], example, env, source, ("voorbeelden", i))

    def example_env(self, catalog: Catalog, example: models.Example, source: SourceMap, here: tuple) -> Env | None:
        """The evaluation context of an example; None (and E502) for answers or a date that do not fit."""
        vocabulary = catalog.vocabulary
        answers, problems = vocabulary.validate(example.antwoorden)
        for problem in problems:
            if problem.question in vocabulary:
                message, hint = problem.message, f"geef een antwoord dat past bij vraag '{problem.question}' in " \
                                                 f"{self.questions_path}"
            else:
                message = f"onbekende vraag '{problem.question[:40]}'"
                hint = (did_you_mean(problem.question, vocabulary.ids())
                        or f"gebruik de id van een vraag uit {self.questions_path}")
            self.diagnostics.append(source.diagnostic(here + ("antwoorden", problem.question), "E502",
                f"voorbeeld '{example.naam}': {message}", hint, prefer_key=True))
        if problems:
            return None
        try:
            return catalog.env(answers, example.datum)
        except NormDateError as exc:
            self.diagnostics.append(source.diagnostic(here + ("datum",), "E502", f"voorbeeld '{example.naam}': {exc}",
                                                      f"kies een datum vanaf {exc.first}"))
            return None

    def judge_example(self, catalog: Catalog, product: Product, example: models.Example, env: Env,
                      source: SourceMap, here: tuple) -> None:
        """E501 when the example's status is not what the rule gives; then its amount (E503)."""
        outcome = catalog.evaluate(product.id, env)
        status = Status.of(outcome.value)
        if status != example.verwacht:
            why = ("; ".join(catalog.wording.reasons(outcome.reasons))
                   or ("nog open: " + ", ".join(sorted(outcome.missing))))
            self.diagnostics.append(source.diagnostic(here + ("verwacht",), "E501",
                f"voorbeeld '{example.naam}' geeft {status}, verwacht {example.verwacht}", why[:300]))
        elif example.verwacht_bedrag is not None:
            if product.amount is None and product.content.bedrag is not None:  # not compiled: reported already
                if self.norms_known:  # else the note of rules/normen.yaml names the amounts
                    self.notes.add(product.path, "de bedragen in de voorbeelden van dit product")
                return
            self.check_example_amount(catalog, product, example, env, source, here)

    def check_example_amount(self, catalog: Catalog, product: Product, example: models.Example, env: Env,
                             source: SourceMap, here: tuple) -> None:
        """E503 when an example's ``verwacht_bedrag`` is not what the check shows."""
        place = here + ("verwacht_bedrag",)
        if product.amount is None:
            self.diagnostics.append(diagnostic(source, place, "example_amount_none", name=example.naam))
            return
        amount = product.amount.result_for(example.verwacht, env.answers, env.day)
        got = catalog.wording.amount_value(amount)
        expected = catalog.wording.expected_amount(example.verwacht_bedrag, product.amount.period)
        if got != expected:
            why = catalog.wording.reason(amount.reason)
            self.diagnostics.append(diagnostic(source, place, "example_amount", name=example.naam, got=got,
                                               expected=expected, why=why[:300]))
