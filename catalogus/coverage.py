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
from typing import Iterator

from .catalog import Catalog
from .errors import NormDateError
from .rules import Comparison, Env, Node, ProductIs, Reference
from .satisfiable import SEARCH_LIMIT, Search
from .words import count

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


# ---------------------------------------------------------------- rules as trees of conditions

LEAVES = (Comparison, Reference, ProductIs)  # a reference or product is judged where it is written


def _condition(node: Node, owner: str) -> Condition:
    """A compiled rule as conditions with their positions (every compiled node knows its origin)."""
    leaf = isinstance(node, LEAVES)
    children = () if leaf else tuple(_condition(child, owner) for child in node.children())
    return Condition(node, node.origin.label, node.origin.where, owner, leaf, children)


def _walk(condition: Condition) -> Iterator[Condition]:
    yield condition
    for child in condition.children:
        yield from _walk(child)


def rule_trees(catalog: Catalog) -> list[Condition]:
    """Every rule of the catalogue as a tree of conditions with positions: products, shared, routing."""
    trees = [_condition(catalog.products[pid].rule, f"product {pid}") for pid in sorted(catalog.products)]
    routing = catalog.routing
    trees += [_condition(node.target, f"regel {name}") for name, node in catalog.shared.items()
              if name not in routing.domains]
    trees += [_condition(node.target, f"levensgebied {name}") for name, node in routing.domains.items()]
    trees += [_condition(signal.rule, "routering (urgent)") for signal in routing.urgent]
    trees.append(_condition(routing.route, "routering (route)"))
    trees += [_condition(condition, f"vraag {qid} (alleen_als)")
              for qid, condition in catalog.question_conditions.items()]
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
            if isinstance(condition.node, (Reference, ProductIs)):
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
    """Norms that no rule or amount uses, directly, as a factor or as an age band of a used norm."""
    used: set[str] = set()
    for node in _all_rules(catalog):
        used |= node.norm_ids()
    for product in catalog.products.values():
        if product.amount is not None:
            used |= product.amount.norm_ids()
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
    section("Normen die geen regel of bedrag gebruikt (alleen nodig als teksten ze noemen):", report.unused_norms)
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
