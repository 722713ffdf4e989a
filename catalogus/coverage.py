"""Rule coverage: what the examples leave untested, and conditions that can never change.

Two questions an editor cannot answer by reading YAML:

* Which conditions of a product are never shown both true and false by its
  worked examples? (Each leaf and each named condition is evaluated per example.)
* Which conditions can never be true (unsatisfiable, such as ``leeftijd >= 65``
  and ``leeftijd < 18`` inside one ``alle``) or never be false?

The second is a search over complete answer sets on every norm date
(``catalogus.satisfiable``). A condition is reported where it is written; a
parent is not reported again when one of its parts already explains it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from . import models
from .catalog import Catalog
from .errors import NormDateError
from .loader import parse_file
from .rules import Env, Named, Node, ProductIs
from .satisfiable import SEARCH_LIMIT, Search
from .words import count
from .yamlio import SourceMap, load_yaml_file

WIZARD_QUESTIONS = {"onderwerpen": "kiest de onderwerpen in de check"}


@dataclass(frozen=True)
class Condition:
    """A condition of a rule, where it is written and how it reads in the rule language."""

    node: Node = field(compare=False, repr=False)
    label: str
    where: str
    owner: str  # "product bijzondere-bijstand", "regel inwoner", "routering", "vraag huur (alleen_als)"
    leaf: bool
    children: tuple["Condition", ...] = field(default=(), compare=False, repr=False)


@dataclass
class ExampleGap:
    condition: Condition
    seen: frozenset  # of True / False values seen over the examples

    @property
    def problem(self) -> str:
        if not self.seen:
            return "in geen enkel voorbeeld beslist"
        return "nooit onwaar in de voorbeelden" if True in self.seen else "nooit waar in de voorbeelden"


@dataclass
class ProductCoverage:
    product_id: str
    examples: int
    conditions: int
    gaps: list[ExampleGap]


@dataclass
class CoverageReport:
    products: list[ProductCoverage]
    never_true: list[Condition]
    never_false: list[Condition]
    not_examined: list[Condition]
    never_eligible: list[str]
    unused_questions: list[str]
    unused_norms: list[str]

    @property
    def ok(self) -> bool:
        """False when some condition can never be true (the exit code of ``catalogus coverage``)."""
        return not self.never_true and not self.never_eligible


# ---------------------------------------------------------------- pairing rules with their source

def _label(model: Any) -> str:
    if isinstance(model, models.AllOf):
        return f"alle ({len(model.alle)} voorwaarden)"
    if isinstance(model, models.AnyOf):
        return f"een_van ({len(model.een_van)} voorwaarden)"
    if isinstance(model, models.Not):
        return "niet: " + _label(model.niet)
    if isinstance(model, models.AtLeast):
        return f"minstens {model.minstens} van {len(model.van)}"
    if isinstance(model, models.SharedRef):
        return f"regel: {model.regel}"
    if isinstance(model, models.ProductRef):
        return f"product: {model.product}"
    operand = model.operand
    if isinstance(operand, models.NormRef):
        text = operand.norm if operand.factor is None else f"{operand.factor} × {operand.norm}"
    elif isinstance(operand, bool):
        text = "true" if operand else "false"
    elif isinstance(operand, list):
        text = "[" + ", ".join(str(v) for v in operand) + "]"
    else:
        text = str(operand)
    return f"{model.vraag} {model.operator} {text}"


def _pair(model: Any, node: Node, source: SourceMap, path: tuple, owner: str) -> Condition:
    """Walk a rule model and its compiled node together; stop at named conditions and products."""
    children: list[Condition] = []
    key = {models.AllOf: "alle", models.AnyOf: "een_van", models.AtLeast: "van"}.get(type(model))
    if key is not None:
        for i, (sub_model, sub_node) in enumerate(zip(getattr(model, key), node.parts)):
            children.append(_pair(sub_model, sub_node, source, path + (key, i), owner))
    elif isinstance(model, models.Not):
        children.append(_pair(model.niet, node.part, source, path + ("niet",), owner))
    line, column = source.position(path)
    leaf = isinstance(model, (models.Comparison, models.SharedRef, models.ProductRef))
    return Condition(node, _label(model), f"{source.path}:{line}:{column}", owner, leaf, tuple(children))


def _walk(condition: Condition) -> Iterator[Condition]:
    yield condition
    for child in condition.children:
        yield from _walk(child)


def rule_trees(catalog: Catalog) -> list[Condition]:
    """Every rule of the catalogue as a tree of conditions with positions: products, shared, routing."""
    root = Path(catalog.root)
    trees: list[Condition] = []
    for pid in sorted(catalog.products):
        product = catalog.products[pid]
        source = load_yaml_file(root / product.path, product.path).source
        trees.append(_pair(product.content.voorwaarden, product.rule, source, ("voorwaarden",), f"product {pid}"))
    shared_file, _, shared_source, _ = parse_file(root / "rules/regels.yaml", models.SharedRulesFile,
                                                  "rules/regels.yaml")
    if shared_file is not None:
        for name, rule in shared_file.regels.items():
            if name in catalog.shared:
                trees.append(_pair(rule.voorwaarde, catalog.shared[name].target, shared_source,
                                   ("regels", name, "voorwaarde"), f"regel {name}"))
    routing_file, _, routing_source, _ = parse_file(root / "rules/routering.yaml", models.RoutingFile,
                                                    "rules/routering.yaml")
    if routing_file is not None:
        routing = catalog.routing
        for name, domain in routing_file.levensgebieden.items():
            trees.append(_pair(domain.voorwaarde, routing.domains[name].target, routing_source,
                               ("levensgebieden", name, "voorwaarde"), f"levensgebied {name}"))
        for i, (signal, compiled) in enumerate(zip(routing_file.urgent, routing.urgent)):
            trees.append(_pair(signal.voorwaarde, compiled.rule, routing_source, ("urgent", i, "voorwaarde"),
                               "routering (urgent)"))
        trees.append(_pair(routing_file.route.voorwaarde, routing.route, routing_source, ("route", "voorwaarde"),
                           "routering (route)"))
    questions_file, _, questions_source, _ = parse_file(root / "rules/vragen.yaml", models.QuestionsFile,
                                                        "rules/vragen.yaml")
    if questions_file is not None:
        for qid, definition in questions_file.vragen.items():
            if definition.alleen_als is not None and qid in catalog.question_conditions:
                trees.append(_pair(definition.alleen_als, catalog.question_conditions[qid], questions_source,
                                   ("vragen", qid, "alleen_als"), f"vraag {qid} (alleen_als)"))
    return trees


# ---------------------------------------------------------------- examples

def example_coverage(catalog: Catalog, tree: Condition, product_id: str) -> ProductCoverage:
    """Evaluate every leaf and named condition of a product per example; list those not shown both ways."""
    product = catalog.products[product_id]
    leaves = [c for c in _walk(tree) if c.leaf]
    seen: dict[int, set] = {id(c): set() for c in leaves}
    runs = 0
    for example in product.content.voorbeelden:
        answers, problems = catalog.vocabulary.validate(example.antwoorden)
        if problems:
            continue
        try:
            day = catalog.norms.on(example.datum)
        except NormDateError:  # a date before the norms: `catalogus check` reports it
            continue
        runs += 1
        env = Env(answers, day, catalog.rules)
        for condition in leaves:
            value = condition.node.status(env)
            if value is not None:
                seen[id(condition)].add(value)
    gaps = [ExampleGap(c, frozenset(seen[id(c)])) for c in leaves if seen[id(c)] != {True, False}]
    return ProductCoverage(product_id, runs, len(leaves), gaps)


# ---------------------------------------------------------------- the report

def analyse(catalog: Catalog, *, limit: int = SEARCH_LIMIT) -> CoverageReport:
    """Coverage of the examples, impossible and unavoidable conditions, unused questions and norms."""
    trees = rule_trees(catalog)
    search = Search(catalog, limit)
    products = [example_coverage(catalog, tree, tree.owner.split(" ", 1)[1])
                for tree in trees if tree.owner.startswith("product ")]
    never_true: list[Condition] = []
    never_false: list[Condition] = []
    not_examined: list[Condition] = []
    never_eligible: list[str] = []
    for tree in trees:
        findings = {id(c): search.outcomes(c.node) for c in _walk(tree)}
        for condition in _walk(tree):
            outcome = findings[id(condition)]
            if isinstance(condition.node, (Named, ProductIs)):
                continue  # judged where the named condition or the product is written
            if outcome is None:
                not_examined.append(condition)
                continue
            for value, bucket in ((True, never_true), (False, never_false)):
                if value not in outcome and not any(
                        findings[id(ch)] is not None and value not in findings[id(ch)] for ch in condition.children):
                    bucket.append(condition)
        root = findings[id(tree)]
        if tree.owner.startswith("product ") and root is not None and True not in root:
            never_eligible.append(tree.owner.split(" ", 1)[1])
    return CoverageReport(products, never_true, never_false, not_examined, never_eligible,
                          unused_questions(catalog), unused_norms(catalog))


def _all_rules(catalog: Catalog) -> list[Node]:
    nodes = [p.rule for p in catalog.products.values()] + list(catalog.shared.values())
    nodes += [catalog.routing.route] + [s.rule for s in catalog.routing.urgent]
    nodes += list(catalog.question_conditions.values())
    return nodes


def unused_questions(catalog: Catalog) -> list[str]:
    """Questions of the vocabulary that no rule (product, shared, routing, alleen_als) looks at."""
    used: set[str] = set()
    for node in _all_rules(catalog):
        used |= node.questions()
    return [q.id for q in catalog.vocabulary if q.id not in used and q.id not in WIZARD_QUESTIONS]


def unused_norms(catalog: Catalog) -> list[str]:
    """Norms that no rule compares with, directly, as a factor or as an age band of a used norm."""
    used: set[str] = set()
    for node in _all_rules(catalog):
        used |= node.norm_ids()
    pending = list(used)
    while pending:
        norm = catalog.norms.norms[pending.pop()]
        for dated in norm.values:
            for variant in dated.variants or ():
                for bound in (variant.age_from, variant.age_to):
                    if isinstance(bound, str) and bound not in used:
                        used.add(bound)
                        pending.append(bound)
    return [n for n in catalog.norms.norms if n not in used]


def format_report(report: CoverageReport, *, verbose: bool = False) -> str:
    """The report in plain Dutch, most serious findings first."""
    lines: list[str] = []

    def section(title: str, items: list[str]) -> None:
        lines.extend(["", title] + ([f"  {item}" for item in items] if items else ["  geen"]))

    section("Voorwaarden die nooit waar kunnen zijn (fout):",
            [f"{c.where}: {c.label} ({c.owner})" for c in report.never_true]
            + [f"product {pid} kan nooit 'eligible' geven" for pid in report.never_eligible])
    section("Voorwaarden die nooit onwaar kunnen zijn:",
            [f"{c.where}: {c.label} ({c.owner})" for c in report.never_false])
    if report.not_examined:
        section("Niet volledig onderzocht (te veel combinaties):",
                [f"{c.where}: {c.label} ({c.owner})" for c in report.not_examined])
    section("Vragen die geen regel gebruikt:", report.unused_questions)
    section("Normen die geen regel gebruikt (alleen nodig als teksten ze noemen):", report.unused_norms)
    complete = [p for p in report.products if not p.gaps]
    lines.extend(["", "Voorwaarden die de voorbeelden niet allebei laten zien (waar en onwaar):"])
    for coverage in report.products:
        if not coverage.gaps:
            continue
        if not coverage.examples:
            lines.append(f"  {coverage.product_id}: geen voorbeelden (0 van {coverage.conditions} voorwaarden gedekt)")
            continue
        examples = count(coverage.examples, "voorbeeld", "voorbeelden")
        lines.append(f"  {coverage.product_id} ({examples}, "
                     f"{coverage.conditions - len(coverage.gaps)} van {coverage.conditions} voorwaarden gedekt)")
        shown = coverage.gaps if verbose else coverage.gaps[:8]
        lines.extend(f"    {g.condition.where}: {g.condition.label}: {g.problem}" for g in shown)
        if len(coverage.gaps) > len(shown):
            lines.append(f"    ... en nog {len(coverage.gaps) - len(shown)} (gebruik --alles)")
    if complete:
        lines.append(f"  volledig gedekt: {', '.join(p.product_id for p in complete)}")
    covered = sum(p.conditions - len(p.gaps) for p in report.products)
    total = sum(p.conditions for p in report.products)
    lines.extend(["", f"{count(len(report.products), 'product', 'producten')}; {covered} van {total} voorwaarden "
                      f"in de voorbeelden zowel waar als onwaar; "
                      f"{count(len(report.never_true), 'onmogelijke voorwaarde', 'onmogelijke voorwaarden')}; "
                      f"{count(len(report.never_eligible), 'product', 'producten')} nooit 'eligible'."])
    return "\n".join(lines).lstrip("\n")
