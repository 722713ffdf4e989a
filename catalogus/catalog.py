"""Load ``products/`` and ``rules/``, validate and compile them into one ``Catalog``.

Loading never stops at the first problem: it returns the catalogue (when there
are no errors) together with every diagnostic found, so ``catalogus check``
can show an editor all mistakes at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from . import models
from .models import Status
from .errors import ContentError, Diagnostic, did_you_mean, report_order
from .loader import validate_fields
from .overlay import Overlay
from .norms import DatedValue, Norm, NormBook, Variant, decimal
from .questions import Question, Vocabulary
from .municipality import Municipality
from .compiler import Compiler, NamedSource
from .conversation import Step, build_steps, representatives
from .amounts import Amount
from .formula import compile_amounts
from .rules import Env, Named, Node, Origin, Outcome, reasons_may_repeat
from .wording import Description, Wording
from .skipped import Dependencies, Notes, Runnable
from .worked_examples import WorkedExamples, examples_for
from .search.synonyms import CatalogueTerms
from .search.synonyms import check_synonyms as synonym_diagnostics
from .messages import diagnostic
from .yamlio import SourceMap, load_yaml_file, locate

RULES_DIR = "rules"
PRODUCTS_DIR = "products"
QUESTIONS_FILE = "vragen.yaml"
NORMS_FILE = "normen.yaml"
SHARED_FILE = "regels.yaml"
ROUTING_FILE = "routering.yaml"
SYNONYMS_FILE = "synoniemen.yaml"
STEPS_FILE = "stappen.yaml"
OWN_PRODUCTS_DIR = "producten"  # a municipality's own products: gemeenten/<id>/producten/


@dataclass
class Product:
    """A validated product with its compiled eligibility rule."""

    id: str
    content: models.ProductFile
    rule: Node
    path: str
    example_origins: tuple[Origin, ...] = ()  # where each worked example (voorbeelden[i]) is written
    amount: Amount | None = None  # what a household gets (``bedrag``), compiled

    @property
    def title(self) -> str:
        return self.content.titel

    @property
    def kind(self) -> str:
        return self.content.soort

    @property
    def domains(self) -> list[str]:
        return list(self.content.domeinen)

    @cached_property
    def domain_set(self) -> frozenset[str]:
        return frozenset(self.content.domeinen)

    @property
    def summary(self) -> str:
        return self.content.samenvatting

    @cached_property
    def questions(self) -> frozenset[str]:
        return frozenset(self.rule.questions())


@dataclass
class UrgentSignal:
    rule: Node
    contact: models.UrgentContact


@dataclass
class Routing:
    """The case-manager routing, compiled by the same engine as the products."""

    domains: dict[str, Named]
    domain_titles: dict[str, str]
    urgent: list[UrgentSignal]
    route: Node
    team: models.TeamContact
    source: str | None

    @cached_property
    def questions(self) -> frozenset[str]:
        found = set(self.route.questions())
        for signal in self.urgent:
            found |= signal.rule.questions()
        for node in self.domains.values():
            found |= node.questions()
        return frozenset(found)

    def domains_may_repeat(self) -> bool:
        """Whether two life domains can give equal reasons (``Node.reason_keys``): only then must the reasons
        of the domains with a problem be de-duplicated (hashing a reason is a Python call per reason)."""
        found = self.__dict__.get("_domains_may_repeat")
        if found is None:
            found = self.__dict__["_domains_may_repeat"] = reasons_may_repeat(self.domains.values())
        return found

    def decided_by_route(self, rules: Mapping[str, Node]) -> bool:
        """Whether the urgent signals and the life domains read no answer that the route does not read:
        then the route's outcome decides the whole routing decision (``check`` keeps it with the outcome)."""
        found = self.__dict__.get("_decided_by_route")
        if found is None:
            reads = self.route.reads(rules)
            found = self.__dict__["_decided_by_route"] = all(
                node.reads(rules) <= reads for node in [s.rule for s in self.urgent] + list(self.domains.values()))
        return found


@dataclass
class Catalog:
    """The validated, compiled catalogue: everything the front ends need."""

    root: Path
    vocabulary: Vocabulary
    norms: NormBook
    shared: dict[str, Named]
    shared_sources: dict[str, str | None]
    products: dict[str, Product]
    routing: Routing
    synonyms: models.SynonymsFile
    upl: dict[str, str]
    version: str
    loaded_at: dt.datetime
    diagnostics: list[Diagnostic] = field(default_factory=list)

    question_conditions: dict[str, Node] = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    municipality: Municipality = field(default_factory=Municipality.single)
    own_products: frozenset[str] = frozenset()  # products only this municipality of the region has

    def examples(self, product_id: str) -> list[tuple[int, models.Example]]:
        """The worked examples of a product that hold for this catalogue's municipality, with their index.

        An example names its municipalities (``gemeente:``); without, it holds for the default municipality
        (the base is written with its values) or, for a municipality's own product, for that municipality.
        """
        return examples_for(self.municipality, product_id in self.own_products,
                            self.products[product_id].content.voorbeelden)
    _representatives: dict = field(default_factory=dict, repr=False)
    _in_topics: dict = field(default_factory=dict, repr=False, init=False, compare=False)  # topics -> in_topics

    def representatives(self, day) -> dict[str, list]:
        """Per question the answers the ranking tries on ``day`` (computed once per date)."""
        found = self._representatives.get(day.date)
        if found is None:
            found = self._representatives[day.date] = representatives(self, day)
        return found

    @cached_property
    def rules(self) -> dict[str, Node]:
        return {pid: product.rule for pid, product in self.products.items()}

    @cached_property
    def wording(self) -> Wording:
        """B1 Dutch for this catalogue's reasons and rules."""
        return Wording(self.vocabulary, self.norms, {pid: p.title for pid, p in self.products.items()})

    def describe(self, rule: Node, day) -> "Description":
        """A rule in plain Dutch with the norms' figures on ``day`` (product pages, transparency, exports)."""
        return self.wording.describe(rule, day)

    def env(self, answers: Mapping[str, Any], date: dt.date) -> Env:
        """An evaluation context; raises NormDateError for a date before the norms start."""
        return Env(answers, self.norms.on(date), self.rules)

    def statuses(self, answers: Mapping[str, Any], date: dt.date) -> dict[str, Status]:
        """Every product's status, without reasons (the fast path)."""
        env = self.env(answers, date)
        return {pid: Status.of(env.product(pid)) for pid in self.products}

    def evaluate(self, product_id: str, env: Env) -> Outcome:
        """One product's outcome with its reasons (memoised in ``env``)."""
        return env.product_outcome(product_id)

    def by_domain(self) -> dict[str, list[Product]]:
        grouped: dict[str, list[Product]] = {d: [] for d in models.DOMAINS}
        for product in self.sorted_products():
            for domain in product.domains:
                grouped[domain].append(product)
        return grouped

    def sorted_products(self) -> list[Product]:
        """Collective services first, then provisions, then referrals; by title within a kind."""
        return list(self._sorted_products)

    @cached_property
    def products_in_order(self) -> tuple[tuple[Product, int], ...]:
        """(product, rank of its kind) in the order of ``sorted_products``, for the check's hot loop."""
        rank = {kind: i for i, kind in enumerate(models.KIND_ORDER)}
        return tuple((p, rank[p.kind]) for p in self._sorted_products)

    def in_topics(self, topics: tuple[str, ...]) -> tuple[bool, ...]:
        """For each product of ``products_in_order``: does it belong to one of these life domains (a few
        combinations of topics occur: worked out once each)."""
        found = self._in_topics.get(topics)
        if found is None:
            chosen = set(topics)
            found = self._in_topics[topics] = tuple(
                not chosen.isdisjoint(p.domain_set) for p, _rank in self.products_in_order)
        return found

    @cached_property
    def _sorted_products(self) -> tuple[Product, ...]:
        order = {kind: i for i, kind in enumerate(models.KIND_ORDER)}
        return tuple(sorted(self.products.values(), key=lambda p: (order[p.kind], p.title.lower())))


# ---------------------------------------------------------------- loading

def content_files(root: Path) -> list[Path]:
    """Every file whose content makes up the catalogue (of every municipality of a region), in a stable order."""
    files = (sorted((root / RULES_DIR).glob("*.yaml")) + sorted((root / PRODUCTS_DIR).glob("*.yaml"))
             + sorted((root / "gemeenten").glob("**/*.yaml")))
    return [f for f in files if f.is_file()]


def content_version(root: Path) -> str:
    """A hash of the content files: changes when any file changes."""
    digest = hashlib.sha256()
    for file in content_files(root):
        digest.update(str(file.relative_to(root)).encode())
        digest.update(b"\0")
        try:
            digest.update(file.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def load_upl(path: Path | None = None) -> dict[str, str]:
    """The national UPL list: URI -> uniforme productnaam."""
    if path is None:
        text = resources.files("catalogus").joinpath("data/UPL-actueel.csv").read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return {row["URI"].strip(): row["UniformeProductnaam"].strip() for row in csv.DictReader(text.splitlines())}


def load_catalog(root: Path | str, *, today: dt.date | None = None, upl_path: Path | None = None
                 ) -> tuple[Catalog | None, list[Diagnostic]]:
    """Load and compile the content under ``root``; return the catalogue (None on errors) and diagnostics.

    For a region (``gemeenten/``) this is the default municipality's catalogue, with the diagnostics of the
    whole region; ``region.load_region`` gives every municipality's.
    """
    from .region import is_region, load_region

    if is_region(root):
        region, diagnostics = load_region(root, today=today, upl_path=upl_path)
        return (region.default_catalog if region is not None else None), diagnostics
    return _Builder(Path(root), today or dt.date.today(), upl_path).build()


def load_catalog_or_raise(root: Path | str, **kwargs) -> Catalog:
    catalog, diagnostics = load_catalog(root, **kwargs)
    if catalog is None:
        raise ContentError(diagnostics)
    return catalog


class _Builder:
    def __init__(self, root: Path, today: dt.date, upl_path: Path | None, overlay: Overlay | None = None,
                 municipalities: frozenset[str] = frozenset(), *, judge_examples: bool = True):
        self.root = root
        self.today = today
        self.upl_path = upl_path
        self.overlay = overlay if overlay is not None else Overlay(Municipality.single(), None)
        self.municipalities = municipalities  # ids of the region's municipalities (examples may name them)
        self.judge_examples = judge_examples  # False: ``catalogus test`` runs them and reports each itself
        self.diagnostics: list[Diagnostic] = []
        self.broken: set[str] = set()  # products whose file does not load: references to them are not reported
        self.own: set[str] = set()  # the municipality's own products (gemeenten/<id>/producten/)
        self.norms_known = True
        self.notes = Notes()  # what the errors of a file kept from being checked
        self.files: dict[str, str] = {}  # product id -> its file, as shown
        # Product files with errors, as far as they are sound (only the sound fields are set): checked, never served.
        self.drafts: dict[str, tuple[models.ProductFile, SourceMap]] = {}

    def shown(self, file: Path) -> str:
        try:
            return str(file.relative_to(self.root))
        except ValueError:
            return str(file)

    def parse(self, file: Path, model, *, product: str | None = None, own: bool = False):
        """Load one file as this municipality sees it (the overlay applied) and validate it."""
        parsed, _sound, data, source = self.parse_fields(file, model, product=product, own=own)
        return parsed, data, source

    def parse_fields(self, file: Path, model, *, product: str | None = None, own: bool = False):
        """Like ``parse``, and when the file does not validate, also its fields that are sound on their own."""
        if not file.exists():
            self.diagnostics.append(Diagnostic(self.shown(file), 1, 1, "E112", "bestand ontbreekt",
                                               f"maak {self.shown(file)} aan"))
            return None, {}, None, SourceMap(self.shown(file))
        loaded = load_yaml_file(file, self.shown(file))
        self.diagnostics.extend(loaded.diagnostics)
        # A duplicate key still leaves a readable file (the first value kept): check the rest of it too,
        # so that one mistake does not hide the next. Only unreadable YAML stops here.
        if loaded.data is None:
            return None, {}, loaded.data, loaded.source
        if product is not None:
            data, source = self.overlay.product(product, loaded.data, loaded.source, own=own)
        else:
            data, source = self.overlay.rules_file(file.name, loaded.data, loaded.source)
        parsed, sound, found = validate_fields(data, source, model)
        self.diagnostics.extend(found)
        return parsed, sound, data, source

    def build(self) -> tuple[Catalog | None, list[Diagnostic]]:
        """The catalogue (None on errors) and every diagnostic.

        On errors the checker still compiles and checks all it can, and runs the worked examples of every
        product whose file and whatever its rule needs are sound; ``self.notes`` says what it had to skip.
        """
        rules_dir = self.root / RULES_DIR
        version = content_version(self.root)
        questions_file, _, q_source = self.parse(rules_dir / QUESTIONS_FILE, models.QuestionsFile)
        norms_file, _, n_source = self.parse(rules_dir / NORMS_FILE, models.NormsFile)
        shared_file, _, s_source = self.parse(rules_dir / SHARED_FILE, models.SharedRulesFile)
        routing_file, _, r_source = self.parse(rules_dir / ROUTING_FILE, models.RoutingFile)
        synonyms, synonyms_source = models.SynonymsFile(), SourceMap(f"{RULES_DIR}/{SYNONYMS_FILE}")
        if (rules_dir / SYNONYMS_FILE).exists():
            synonyms_file, _, synonyms_source = self.parse(rules_dir / SYNONYMS_FILE, models.SynonymsFile)
            synonyms = synonyms_file or synonyms
        steps_file = steps_source = None
        if (rules_dir / STEPS_FILE).exists():
            steps_file, _, steps_source = self.parse(rules_dir / STEPS_FILE, models.StepsFile)
        product_files = self.parse_products()
        if questions_file is None:
            if self.files:
                self.notes.add(q_source.path, "de voorwaarden, bedragen en voorbeelden van alle producten")
            return None, self.finish()
        vocabulary = self.build_vocabulary(questions_file, q_source)
        norms = self.build_norms(norms_file, n_source, vocabulary)
        self.norms_known = norms_file is not None
        named = self.named_rules(shared_file, s_source, routing_file, r_source)
        unread = [source.path for file, source in ((shared_file, s_source), (routing_file, r_source)) if file is None]
        for path in unread:
            self.notes.add(path, "of de namen achter 'regel:' bestaan")
        if norms_file is None:
            self.notes.add(n_source.path, "of de normen in de voorwaarden bestaan")
        titles = {pid: pf.titel for pid, (pf, _src) in product_files.items()}
        broken = frozenset(self.broken)
        compiler = Compiler(vocabulary, norms, named, titles, broken, norms_known=norms_file is not None,
                            names_known=not unread)
        shared = {}
        for name in named:
            node = compiler.compile_named(name)
            if node is not None:
                shared[name] = node
        conditions: dict[str, Node] = {}
        for qid, q in questions_file.vragen.items():
            if q.alleen_als is not None:
                condition = compiler.compile(q.alleen_als, q_source, ("vragen", qid, "alleen_als"))
                if condition is not None:
                    conditions[qid] = condition
        steps, step_problems = build_steps(steps_file, steps_source, vocabulary, compiler)
        self.diagnostics.extend(step_problems)
        products, own_errors = self.compile_products(compiler, product_files)
        checked = {**product_files, **self.drafts}
        self.check_product_cycles(compiler.product_refs, {pid: source for pid, (_pf, source) in checked.items()})
        self.compile_amounts(products, product_files, vocabulary, norms, norms_file is not None, n_source)
        routing = None
        if routing_file is not None:
            routing = self.build_routing(routing_file, r_source, compiler, shared)
        self.diagnostics.extend(compiler.diagnostics)
        upl = load_upl(self.upl_path)
        for pid, (pf, source) in checked.items():
            self.check_product(pf, source, upl)
        dependencies = Dependencies(named, shared, broken, norms_file=None if norms_file else n_source.path,
                                    names_files=unread)
        runnable = Runnable(products, {pid: dependencies.of_rule(pf.voorwaarden) for pid, (pf, _src) in checked.items()
                                       if "voorwaarden" in pf.model_fields_set}, self.files, broken, own_errors)
        # On errors this catalogue only runs the examples of the products that can run; it is never served.
        catalog = Catalog(self.root, vocabulary, norms, shared,
                          {name: named[name].reference for name in named},
                          {pid: product for pid, product in products.items() if pid in runnable}, routing, synonyms,
                          upl, version, dt.datetime.now(dt.timezone.utc), question_conditions=conditions, steps=steps,
                          municipality=self.overlay.municipality, own_products=frozenset(self.own))
        if self.judge_examples:
            WorkedExamples(self.diagnostics, self.notes, self.files, self.own, self.municipalities,
                           self.norms_known, f"{RULES_DIR}/{QUESTIONS_FILE}").check(catalog, checked, runnable)
        self.check_synonyms(synonyms, synonyms_source, product_files)
        diagnostics = self.finish()
        if self.has_errors() or routing is None or shared_file is None:
            return None, diagnostics
        catalog.diagnostics = diagnostics
        return catalog, diagnostics

    def build_vocabulary(self, questions_file: models.QuestionsFile, source: SourceMap) -> Vocabulary:
        vocabulary = Vocabulary({qid: Question(qid, d, i) for i, (qid, d) in enumerate(questions_file.vragen.items())},
                                {gid: group.titel for gid, group in questions_file.groepen.items()})
        if questions_file.groepen:
            for qid, definition in questions_file.vragen.items():
                if definition.groep is not None and definition.groep not in questions_file.groepen:
                    self.diagnostics.append(source.diagnostic(("vragen", qid, "groep"), "E106",
                        f"onbekende groep '{definition.groep}' bij vraag '{qid}'",
                        did_you_mean(definition.groep, questions_file.groepen)
                        or "kies een groep uit 'groepen:' bovenaan het bestand, of voeg hem daar toe"))
        return vocabulary

    def named_rules(self, shared_file: models.SharedRulesFile | None, s_source: SourceMap,
                    routing_file: models.RoutingFile | None, r_source: SourceMap) -> dict[str, NamedSource]:
        """The shared rules and life domains, waiting to be compiled."""
        named: dict[str, NamedSource] = {}
        if shared_file is not None:
            for name, rule in shared_file.regels.items():
                if not rule.bron:
                    self.diagnostics.append(s_source.diagnostic(("regels", name), "E302",
                        f"gedeelde voorwaarde '{name}' heeft geen bron", "voeg 'bron:' toe met wetsartikel of beleidsregel",
                        prefer_key=True))
                named[name] = NamedSource(name, rule.omschrijving, rule.voorwaarde, s_source,
                                          ("regels", name, "voorwaarde"), rule.uitleg, rule.bron)
        if routing_file is not None:
            for name, domain in routing_file.levensgebieden.items():
                if name in named:
                    self.diagnostics.append(r_source.diagnostic(("levensgebieden", name), "E105",
                        f"naam '{name}' bestaat al in {SHARED_FILE}", "kies een andere naam", prefer_key=True))
                    continue
                named[name] = NamedSource(name, domain.titel, domain.voorwaarde, r_source,
                                          ("levensgebieden", name, "voorwaarde"), None, routing_file.bron,
                                          domain=True)
        return named

    def compile_products(self, compiler: Compiler, product_files) -> tuple[dict[str, Product], set[str]]:
        """Every product's rule, also of a product file with other errors (only sound ones become products);
        and the products whose rule has a mistake of its own."""
        products: dict[str, Product] = {}
        own_errors: set[str] = set()
        for pid, (pf, source) in {**product_files, **self.drafts}.items():
            if "voorwaarden" not in pf.model_fields_set:  # a draft whose rule itself does not validate
                continue
            before = len(compiler.diagnostics)
            rule = compiler.compile(pf.voorwaarden, source, ("voorwaarden",), owner=pid)
            if len(compiler.diagnostics) > before:
                own_errors.add(pid)
            if rule is not None and pid in product_files:
                origins = tuple(Origin(*locate(source, ("voorbeelden", i)), example.naam)
                                for i, example in enumerate(pf.voorbeelden))
                products[pid] = Product(pid, pf, rule, source.path, origins)
        return products, own_errors

    def compile_amounts(self, products: dict[str, Product], product_files, vocabulary: Vocabulary, norms: NormBook,
                        norms_known: bool, norms_source: SourceMap) -> None:
        """Every ``bedrag``, also of a product file with other errors; none when the norms do not load."""
        checked = {**product_files, **{pid: draft for pid, draft in self.drafts.items()
                                       if getattr(draft[0], "soort", None) is not None}}
        if not norms_known:
            if any(pf.bedrag is not None for pf, _source in checked.values()):
                self.notes.add(norms_source.path, "de bedragen (bedrag:)")
            return
        amounts, amount_problems = compile_amounts(checked, vocabulary, norms, frozenset(self.broken))
        self.diagnostics.extend(amount_problems)
        for pid, amount in amounts.items():
            if pid in products:
                products[pid].amount = amount

    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics + self.overlay.diagnostics)

    def finish(self) -> list[Diagnostic]:
        found = self.diagnostics + self.overlay.diagnostics + self.notes.diagnostics()
        return sorted(set(found), key=report_order)

    def parse_products(self) -> dict[str, tuple[models.ProductFile, SourceMap]]:
        """The products this municipality offers: the base's (without the ones it does not offer), then its own.

        A product file with errors is left out; what of it is sound goes to ``self.drafts`` (a model with only
        the sound fields set) so that the checker still checks those fields.
        """
        found = {}
        removed = self.overlay.removed
        folders = [(self.root / PRODUCTS_DIR, False)]
        if self.overlay.folder is not None:
            folders.append((self.overlay.folder / OWN_PRODUCTS_DIR, True))
        for folder, own in folders:
            for file in sorted(folder.glob("*.yaml")):
                pid = file.stem
                if not models.PRODUCT_ID.match(pid):
                    self.diagnostics.append(Diagnostic(self.shown(file), 1, 1, "E110",
                        f"bestandsnaam '{file.name}' is geen geldig product-id",
                        "gebruik kleine letters, cijfers en streepjes, bijvoorbeeld bijzondere-bijstand.yaml"))
                    continue
                if not own and pid in removed:
                    continue
                if own and pid in self.overlay.base_products:
                    self.diagnostics.append(diagnostic(SourceMap(self.shown(file)), (), "own_product_clash",
                                                       product=pid))
                    continue
                parsed, sound, _data, source = self.parse_fields(file, models.ProductFile, product=pid, own=own)
                self.files[pid] = source.path
                if own:
                    self.own.add(pid)
                if parsed is not None and not isinstance(parsed.contact, str):
                    found[pid] = (parsed, source)
                    continue
                self.broken.add(pid)
                # What is sound in a broken product file is still checked: its rule, amount, examples' answers.
                if parsed is not None:
                    self.drafts[pid] = (parsed, source)
                elif sound:
                    self.drafts[pid] = (models.ProductFile.model_construct(**sound), source)
            for file in sorted(folder.glob("*")):
                if file.is_file() and file.suffix in (".yml", ".YAML", ".json"):
                    self.diagnostics.append(Diagnostic(self.shown(file), 1, 1, "E110",
                        f"'{file.name}' wordt niet gelezen", "productbestanden eindigen op .yaml", "warning"))
        return found

    def build_norms(self, norms_file: models.NormsFile | None, source: SourceMap, vocabulary: Vocabulary) -> NormBook:
        """The dated norms; none when ``rules/normen.yaml`` does not load (the compiler then skips norms)."""
        situations = list(vocabulary["leefsituatie"].options) if "leefsituatie" in vocabulary else []
        age_max = vocabulary["leeftijd"].definition.max if "leeftijd" in vocabulary else 120
        norms: dict[str, Norm] = {}
        if norms_file is None:
            return NormBook(norms, situations, age_max)
        for norm_id, definition in norms_file.normen.items():
            values = []
            previous: dt.date | None = None
            for i, value in enumerate(definition.waarden):
                here = ("normen", norm_id, "waarden", i)
                if previous is not None and value.geldig_vanaf <= previous:
                    self.diagnostics.append(source.diagnostic(here + ("geldig_vanaf",), "E301",
                        f"waarden van norm '{norm_id}' staan niet op datumvolgorde ({value.geldig_vanaf} na {previous})",
                        "zet de oudste waarde bovenaan"))
                previous = value.geldig_vanaf
                if not value.bron:
                    self.diagnostics.append(source.diagnostic(here, "E302",
                        f"waarde van norm '{norm_id}' vanaf {value.geldig_vanaf} heeft geen bron",
                        "voeg 'bron:' toe met wet, artikel of raadsbesluit"))
                variants = None
                if value.varianten is not None:
                    variants = []
                    for j, variant in enumerate(value.varianten):
                        for k, situation in enumerate(variant.leefsituatie or []):
                            if situation not in situations:
                                self.diagnostics.append(source.diagnostic(here + ("varianten", j, "leefsituatie", k),
                                    "E203", f"'{situation}' is geen leefsituatie", did_you_mean(situation, situations)))
                        for bound_name in ("van", "tot"):
                            bound = getattr(variant.leeftijd, bound_name) if variant.leeftijd else None
                            if isinstance(bound, str) and (bound not in norms_file.normen
                                                           or norms_file.normen[bound].eenheid != "jaren"):
                                self.diagnostics.append(source.diagnostic(
                                    here + ("varianten", j, "leeftijd", bound_name), "E204",
                                    f"'{bound}' is geen leeftijdsnorm", did_you_mean(bound, norms_file.normen)))
                        band = variant.leeftijd
                        variants.append(Variant(
                            frozenset(variant.leefsituatie) if variant.leefsituatie is not None else None,
                            _bound(band.van) if band else None, _bound(band.tot) if band else None,
                            decimal(variant.waarde)))
                    variants = tuple(variants)
                values.append(DatedValue(value.geldig_vanaf, value.bron,
                                         decimal(value.waarde) if value.waarde is not None else None, variants))
            norms[norm_id] = Norm(norm_id, definition.titel, definition.eenheid,
                                  tuple(sorted(values, key=lambda v: v.start)), definition.lidwoord)
        return NormBook(norms, situations, age_max)

    def build_routing(self, routing_file: models.RoutingFile, source: SourceMap, compiler: Compiler,
                      shared: dict[str, Node]) -> Routing | None:
        domains = {name: shared[name] for name in routing_file.levensgebieden if name in shared}
        urgent = []
        for i, signal in enumerate(routing_file.urgent):
            node = compiler.compile(signal.voorwaarde, source, ("urgent", i, "voorwaarde"))
            if node is not None:
                urgent.append(UrgentSignal(node, signal.contact))
        route = compiler.compile(routing_file.route.voorwaarde, source, ("route", "voorwaarde"))
        if route is None or len(domains) != len(routing_file.levensgebieden):
            return None
        titles = {name: d.titel for name, d in routing_file.levensgebieden.items()}
        if routing_file.wijkteam is None:
            self.diagnostics.append(diagnostic(source, (), "team_missing"))
            return None
        return Routing(domains, titles, urgent, route, routing_file.wijkteam, routing_file.bron)

    def check_product_cycles(self, refs: dict[str, set[str]], sources: dict[str, SourceMap]) -> None:
        def visit(pid: str, trail: list[str]) -> None:
            for target in sorted(refs.get(pid, ())):
                if target in trail:
                    cycle = " -> ".join(trail[trail.index(target):] + [target])
                    source = sources[trail[0]]
                    self.diagnostics.append(source.diagnostic(("voorwaarden",), "E206",
                        f"producten verwijzen in een kring naar elkaar: {cycle}", "haal één van de verwijzingen weg"))
                    return
                visit(target, trail + [target])

        for pid in refs:
            visit(pid, [pid])

    def check_product(self, pf: models.ProductFile, source: SourceMap, upl: dict[str, str]) -> None:
        """Sources, UPL and review date; of a draft only the fields that are sound (the others are not set)."""
        basis = getattr(pf, "wettelijke_basis", None)
        if basis is not None and not basis.bron:
            self.diagnostics.append(source.diagnostic(("wettelijke_basis",), "E303",
                "wettelijke basis heeft geen bron", "voeg 'bron:' toe met een link naar wetten.overheid.nl",
                prefer_key=True))
        if pf.upl is not None:
            if pf.upl.uri not in upl:
                local = pf.upl.uri.rsplit("/", 1)[-1]
                suggestion = did_you_mean(local, [u.rsplit("/", 1)[-1] for u in upl])
                self.diagnostics.append(source.diagnostic(("upl", "uri"), "E401",
                    f"UPL-URI '{pf.upl.uri}' staat niet in de UPL-lijst", suggestion or "zoek de URI op in UPL-actueel.csv"))
            elif upl[pf.upl.uri] != pf.upl.naam:
                self.diagnostics.append(source.diagnostic(("upl", "naam"), "E402",
                    f"UPL-naam '{pf.upl.naam}' hoort niet bij deze URI", f"de UPL noemt hem '{upl[pf.upl.uri]}'"))
        review = getattr(pf, "herzien_voor", None)
        if review is not None and review < self.today:
            self.diagnostics.append(source.diagnostic(("herzien_voor",), "W601",
                f"herzien vóór {review.isoformat()}: deze productinformatie is over datum",
                f"laat {getattr(pf, 'eigenaar', None) or 'de eigenaar'} de tekst nakijken en zet een nieuwe datum",
                severity="warning"))

    def check_synonyms(self, synonyms: models.SynonymsFile, source: SourceMap, product_files) -> None:
        """Empty or duplicate synonyms are errors; words that match nothing in the products are warnings."""
        if synonyms.synoniemen or synonyms.gelijk:
            terms = CatalogueTerms(pf for pf, _source in product_files.values())
            found = synonym_diagnostics(synonyms, source, terms)
            if self.broken and any(d.code == "W703" for d in found):
                # W703 (finds nothing) looks in the text of every product: one left out may be the one it finds
                found = [d for d in found if d.code != "W703"]
                for pid in sorted(self.broken):
                    self.notes.add(self.files[pid], f"of de woorden in {source.path} iets vinden")
            self.diagnostics.extend(found)


def _bound(value: Any):
    if value is None or isinstance(value, str):
        return value
    return decimal(value)
