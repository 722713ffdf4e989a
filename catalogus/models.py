"""Pydantic models of every content file kind: the one schema for content.

Editors get the same schema as JSON Schema (``catalogus export schema``), so
their editor completes and checks fields while they type.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

PRODUCT_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NAME = r"^[a-z][a-z0-9_]*$"

Kind = Literal["provision", "collective", "referral"]
Domain = Literal["geld", "wonen", "zorg", "gezin", "werk", "mantelzorg", "contact", "veiligheid"]
#: collective services first (Wmo art. 2.3.5: they come before an individual provision), then provisions, referrals
KIND_ORDER: tuple[Kind, ...] = ("collective", "provision", "referral")
DOMAINS: tuple[str, ...] = Domain.__args__  # type: ignore[attr-defined]


class Status(StrEnum):
    """The outcome of a rule for a household: the one status type everywhere (it compares equal to its text)."""

    ELIGIBLE = "eligible"
    UNKNOWN = "unknown"
    NOT_ELIGIBLE = "not_eligible"

    @classmethod
    def of(cls, truth: bool | None) -> "Status":
        """The status for a three-valued truth.

        >>> Status.of(True), Status.of(None)
        (<Status.ELIGIBLE: 'eligible'>, <Status.UNKNOWN: 'unknown'>)
        """
        return cls.UNKNOWN if truth is None else cls.ELIGIBLE if truth else cls.NOT_ELIGIBLE

    rank: int  # order on a results page: eligible 0, unknown 1, not eligible 2 (set below)


for _rank, _status in enumerate((Status.ELIGIBLE, Status.UNKNOWN, Status.NOT_ELIGIBLE)):
    _status.rank = _rank


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, str_strip_whitespace=True,
                              frozen=True)


# ---------------------------------------------------------------- rule nodes

class Explanation(Strict):
    """Wording that replaces the generated reasons of a node."""

    waar: str = Field(description="B1-zin als de voorwaarde geldt")
    onwaar: str = Field(description="B1-zin als de voorwaarde niet geldt")


class NormRef(Strict):
    """A dated norm, optionally multiplied by a factor (a number or a factor norm)."""

    norm: str = Field(pattern=NAME, description="id van een norm in rules/normen.yaml")
    factor: float | str | None = Field(default=None, description="getal, of id van een factor-norm")

    @field_validator("factor")
    @classmethod
    def _positive(cls, value):
        if isinstance(value, float) and value <= 0:
            raise ValueError("factor moet groter dan 0 zijn")
        return value


Scalar = Union[bool, int, float, str]
Bound = Union[int, float, NormRef]

ORDERING_OPERATORS = (">=", ">", "<=", "<")
OPERATORS = ("=", "!=", "in", "bevat", "bevat_iets_anders_dan") + ORDERING_OPERATORS


class Comparison(Strict):
    """An answer compared with a constant or a (factor ×) norm."""

    vraag: str = Field(description="id van een vraag in rules/vragen.yaml")
    eq: Scalar | None = Field(default=None, alias="=")
    ne: Scalar | None = Field(default=None, alias="!=")
    in_: list[Scalar] | None = Field(default=None, alias="in")
    bevat: str | None = None
    bevat_iets_anders_dan: str | None = None
    ge: Bound | None = Field(default=None, alias=">=")
    gt: Bound | None = Field(default=None, alias=">")
    le: Bound | None = Field(default=None, alias="<=")
    lt: Bound | None = Field(default=None, alias="<")
    uitleg: Explanation | None = None

    @model_validator(mode="after")
    def _one_operator(self):
        given = [op for op in OPERATORS if getattr(self, _OP_FIELDS[op]) is not None]
        if len(given) != 1:
            names = ", ".join(f"'{op}'" for op in OPERATORS)
            raise ValueError(f"een vergelijking heeft precies één operator nodig ({names})"
                             + (f", nu: {', '.join(given)}" if given else ""))
        return self

    @property
    def operator(self) -> str:
        return next(op for op in OPERATORS if getattr(self, _OP_FIELDS[op]) is not None)

    @property
    def operand(self) -> Any:
        return getattr(self, _OP_FIELDS[self.operator])


_OP_FIELDS = {"=": "eq", "!=": "ne", "in": "in_", "bevat": "bevat", "bevat_iets_anders_dan": "bevat_iets_anders_dan",
              ">=": "ge", ">": "gt", "<=": "le", "<": "lt"}


class AllOf(Strict):
    alle: list["RuleNode"] = Field(min_length=1, description="alle voorwaarden moeten gelden")
    uitleg: Explanation | None = None


class AnyOf(Strict):
    een_van: list["RuleNode"] = Field(min_length=1, description="minstens één voorwaarde moet gelden")
    uitleg: Explanation | None = None


class Not(Strict):
    niet: "RuleNode"
    uitleg: Explanation | None = None


class AtLeast(Strict):
    minstens: int = Field(ge=1, description="minimaal aantal voorwaarden dat moet gelden")
    van: list["RuleNode"] = Field(min_length=1)
    uitleg: Explanation | None = None


class SharedRef(Strict):
    regel: str = Field(pattern=NAME, description="naam van een gedeelde voorwaarde of levensgebied")
    uitleg: Explanation | None = None


class ProductRef(Strict):
    product: str = Field(description="id van een product; geldt als dat product 'eligible' is")
    uitleg: Explanation | None = None


RULE_KEYS = ("alle", "een_van", "niet", "minstens", "regel", "product", "vraag")


def _rule_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        for key in RULE_KEYS:
            if key in value:
                return key
        return None
    for key, model in (("alle", AllOf), ("een_van", AnyOf), ("niet", Not), ("minstens", AtLeast),
                       ("regel", SharedRef), ("product", ProductRef), ("vraag", Comparison)):
        if isinstance(value, model):
            return key
    return None


RuleNode = Annotated[
    Union[
        Annotated[AllOf, Tag("alle")],
        Annotated[AnyOf, Tag("een_van")],
        Annotated[Not, Tag("niet")],
        Annotated[AtLeast, Tag("minstens")],
        Annotated[SharedRef, Tag("regel")],
        Annotated[ProductRef, Tag("product")],
        Annotated[Comparison, Tag("vraag")],
    ],
    Discriminator(
        _rule_tag,
        custom_error_type="rule_node",
        custom_error_message="een voorwaarde begint met één van: " + ", ".join(RULE_KEYS),
    ),
]

for _model in (AllOf, AnyOf, Not, AtLeast):
    _model.model_rebuild()


# ---------------------------------------------------------------- products

class Application(Strict):
    stappen: list[str] = Field(min_length=1, description="stappen om aan te vragen, in B1")
    online: str | None = Field(default=None, pattern=r"^https://", description="link naar het online formulier")


class Contact(Strict):
    naam: str
    telefoon: str | None = None
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    website: str | None = Field(default=None, pattern=r"^https?://")
    adres: str | None = None
    open: str | None = None

    @model_validator(mode="after")
    def _reachable(self):
        if not (self.telefoon or self.email or self.website or self.adres):
            raise ValueError("contact heeft minstens een telefoon, e-mail, website of adres nodig")
        return self


class LegalBasis(Strict):
    wet: str
    artikel: str | None = None
    bron: str | None = Field(default=None, pattern=r"^https?://",  # a link on the product page: never javascript:
                             description="link naar de wettekst (wetten.overheid.nl) of het beleid")


class UplEntry(Strict):
    naam: str
    uri: str = Field(pattern=r"^https?://standaarden\.overheid\.nl/owms/terms/")


class Example(Strict):
    naam: str
    datum: dt.date
    antwoorden: dict[str, Any]
    verwacht: Status
    verwacht_bedrag: float | Literal["open"] | None = Field(
        default=None, description="het bedrag dat de check moet tonen (euro's), of 'open' als het nog niet vastligt")
    gemeente: list[Annotated[str, Field(pattern=PRODUCT_ID.pattern)]] | Annotated[
        str, Field(pattern=PRODUCT_ID.pattern)] | None = Field(
        default=None, description="in een regio: de gemeenten (ids) waar dit voorbeeld voor geldt; zonder: de "
                                  "standaardgemeente, of bij een eigen product de gemeente zelf")

    @field_validator("gemeente", mode="before")
    @classmethod
    def _one_or_more(cls, value):
        return [value] if isinstance(value, str) else value


#: only individual provisions carry an amount: collective services are free or help in kind, and for a
#: referral another organisation computes it (it links to that organisation's own calculation instead)
AMOUNT_KINDS: tuple[Kind, ...] = ("provision",)
AMOUNT_PLACEHOLDER = "{bedrag}"


class AmountDef(Strict):
    """What a household gets, indicatively: a formula over norms and answers (``bedrag`` of a product)."""

    per: Literal["maand", "jaar"] = Field(description="het bedrag is per maand of per jaar")
    formule: str = Field(min_length=1, max_length=500,
                         description="bijvoorbeeld: bijstandsnorm - netto_inkomen (normen, vragen, getallen, + - ×)")
    zin: str = Field(default="U krijgt dus ongeveer {bedrag}.", min_length=10, max_length=300,
                     description="B1-zin na de cijfers, met {bedrag}")
    in_plaats_van: str | None = Field(default=None, pattern=PRODUCT_ID.pattern,
                                      description="id van een product dat dit product vervangt (telt één keer mee)")

    @field_validator("zin")
    @classmethod
    def _has_placeholder(cls, value: str) -> str:
        if value.count(AMOUNT_PLACEHOLDER) != 1:
            raise ValueError("'zin' moet precies één keer {bedrag} bevatten, bijvoorbeeld: U krijgt dus ongeveer {bedrag}.")
        return value


class OwnCalculation(Strict):
    """A link to the organisation's own calculation, for a referral (we show no figure of ours)."""

    tekst: str = Field(min_length=10, description="linktekst in B1, bijvoorbeeld: Reken uit hoeveel u krijgt bij de SVB")
    url: str = Field(pattern=r"^https://", description="de proefberekening van de organisatie zelf")


class ProductFile(Strict):
    """One product, collective service or referral: ``products/<id>.yaml``."""

    titel: str = Field(min_length=2)
    soort: Kind
    domeinen: list[Domain] = Field(min_length=1)
    samenvatting: str = Field(min_length=10, description="1–2 zinnen in B1")
    wat_krijgt_u: str
    voor_wie: str | None = None
    aanvragen: Application
    meenemen: list[str] = Field(default_factory=list)
    kosten: str
    beslistermijn: str | None = None
    contact: Contact | Annotated[str, Field(pattern=NAME)] = Field(description=(
        "een contactblok, of in een regio de naam van een contact van de gemeente (contacten: in "
        "gemeenten/<id>/gemeente.yaml), zodat elke gemeente haar eigen gegevens toont"))
    regionaal: bool = Field(default=False, description=(
        "in een regio: de centrumgemeente voert dit uit voor de hele regio (Samenwerkende Catalogi: "
        "authority is de centrumgemeente)"))
    wettelijke_basis: LegalBasis
    upl: UplEntry | None = None
    zoekwoorden: list[str] = Field(default_factory=list)
    voorwaarden: RuleNode
    bedrag: AmountDef | None = Field(default=None, description="indicatief bedrag (alleen bij soort provision)")
    proefberekening: OwnCalculation | None = Field(
        default=None, description="link naar de berekening van een andere organisatie (bij een verwijzing)")
    voorbeelden: list[Example] = Field(default_factory=list)
    eigenaar: str
    herzien_voor: dt.date


# ---------------------------------------------------------------- rules/

class Option(Strict):
    label: str
    zin: str | None = Field(default=None, description="dit antwoord als zin in redenen, bijv. 'U woont alleen.'")
    zin_niet: str | None = Field(default=None, description=(
        "dat het antwoord iets anders is, als zin (bij '!=' en 'bevat_iets_anders_dan'), bijv. 'U studeert niet.'"))

    @model_validator(mode="after")
    def _sentences(self):
        for name in ("zin", "zin_niet"):
            text = getattr(self, name)
            if text is not None and text.rstrip()[-1:] not in (".", "!", "?"):
                raise ValueError(f"'{name}' is een hele zin die eindigt met een punt, bijv. 'U studeert niet.'")
        return self


class ReasonWords(Strict):
    """Sentences that state an answer, for generated reasons."""

    ja: str | None = None
    nee: str | None = None
    bevat: str | None = Field(default=None, description="zin met {waarden}")
    bevat_niet: str | None = Field(default=None, description="zin met {waarden}")


QuestionType = Literal["boolean", "integer", "money", "choice", "multi"]


class QuestionDef(Strict):
    type: QuestionType
    tekst: str
    uitleg: str | None = None
    kort: str
    vakterm: str | None = Field(default=None, description=(
        "het woord van professionals (casemanager, KCC in kleine letters), bijv. 'leefsituatie'; zonder: 'kort'"))
    onderwerp: str | None = Field(default=None, description="onderwerp in redenen, bijv. 'Uw inkomen'")
    groep: str | None = Field(default=None, description="groep op het KCC-scherm (zie groepen:); zonder: Overig")
    eenheid: str | None = None
    per: Literal["maand", "jaar"] | None = None
    min: int | None = None
    max: int | None = None
    hele_jaren: bool = False
    opties: dict[str, Option] | None = None
    geen_waarde: str | None = Field(default=None, description="keuze die niet met andere mag")
    reden: ReasonWords | None = None
    stelling: str | None = Field(default=None, description="de vraag als zin om aan te vinken (ik-vorm), "
                                                           "voor een stap 'Herkent u iets hiervan?'")
    alleen_als: RuleNode | None = None

    @model_validator(mode="after")
    def _fits_type(self):
        if self.type in ("choice", "multi") and not self.opties:
            raise ValueError(f"een vraag van type {self.type} heeft 'opties' nodig")
        if self.type not in ("choice", "multi") and self.opties:
            raise ValueError(f"een vraag van type {self.type} heeft geen 'opties'")
        if self.type == "integer" and (self.min is None or self.max is None):
            raise ValueError("een vraag van type integer heeft 'min' en 'max' nodig")
        if self.type == "boolean" and not (self.reden and self.reden.ja and self.reden.nee):
            raise ValueError("een ja/nee-vraag heeft 'reden: {ja: ..., nee: ...}' nodig")
        if self.type in ("integer", "money", "choice") and not self.onderwerp:
            raise ValueError(f"een vraag van type {self.type} heeft 'onderwerp' nodig (voor de redenen)")
        if self.geen_waarde and (not self.opties or self.geen_waarde not in self.opties):
            raise ValueError("'geen_waarde' moet een van de opties zijn")
        return self


class QuestionGroup(Strict):
    titel: str = Field(description="naam van de groep, zoals het KCC-scherm hem toont")


class StepDef(Strict):
    """One screen of the check: a few questions that belong together."""

    titel: str = Field(description="kop van het scherm, in B1")
    uitleg: str | None = Field(default=None, description="een zin onder de kop")
    soort: Literal["vragen", "aanvinken"] = Field(default="vragen", description=(
        "vragen: elke vraag met een eigen veld; aanvinken: ja/nee-vragen als zinnen om aan te vinken, "
        "met 'Geen van deze'"))
    fase: Literal["begin"] | None = Field(default=None, description=(
        "begin: vragen die de check kunnen beëindigen of een andere kant op sturen; die komen eerst"))
    als: RuleNode | None = Field(default=None, description="alleen deze stap tonen als dit geldt")
    vragen: list[str] = Field(min_length=1, description="ids van vragen in rules/vragen.yaml")


class StepsFile(Strict):
    """The screens of the check, in the order of a conversation: ``rules/stappen.yaml``."""

    stappen: dict[str, StepDef] = Field(min_length=1)


class QuestionsFile(Strict):
    """The question vocabulary: ``rules/vragen.yaml``."""

    groepen: dict[str, QuestionGroup] = Field(default_factory=dict,
                                             description="groepen van vragen, in de volgorde van het KCC-scherm")
    vragen: dict[str, QuestionDef] = Field(min_length=1)


AgeBound = Union[int, float, str]


class AgeBand(Strict):
    van: AgeBound | None = Field(default=None, description="leeftijd vanaf (inclusief), getal of norm-id")
    tot: AgeBound | None = Field(default=None, description="leeftijd tot (exclusief), getal of norm-id")


class NormVariant(Strict):
    leeftijd: AgeBand | None = None
    leefsituatie: list[str] | None = None
    waarde: float


class NormValue(Strict):
    geldig_vanaf: dt.date
    bron: str | None = None
    waarde: float | None = None
    varianten: list[NormVariant] | None = None

    @model_validator(mode="after")
    def _value_or_variants(self):
        if (self.waarde is None) == (self.varianten is None):
            raise ValueError("geef 'waarde' of 'varianten', niet allebei en niet geen van beide")
        return self


NormUnit = Literal["euro", "euro_per_maand", "euro_per_jaar", "factor", "aantal", "uren_per_week", "jaren"]


class NormDef(Strict):
    titel: str
    lidwoord: Literal["de", "het"] = Field(default="de", description="lidwoord voor de titel in een zin")
    eenheid: NormUnit
    waarden: list[NormValue] = Field(min_length=1)


class NormsFile(Strict):
    """Dated norms: ``rules/normen.yaml``."""

    normen: dict[str, NormDef] = Field(min_length=1)


class SharedRule(Strict):
    omschrijving: str
    bron: str | None = None
    voorwaarde: RuleNode
    uitleg: Explanation | None = None


class SharedRulesFile(Strict):
    """Shared named conditions: ``rules/regels.yaml``."""

    regels: dict[str, SharedRule]


class LifeDomain(Strict):
    titel: str
    voorwaarde: RuleNode


class UrgentContact(Strict):
    titel: str
    telefoon: str
    tekst: str


class UrgentSignal(Strict):
    voorwaarde: RuleNode
    contact: UrgentContact


class RouteDef(Strict):
    voorwaarde: RuleNode


class TeamContact(Strict):
    naam: str
    telefoon: str
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    adres: str | None = None
    open: str | None = None


class RoutingFile(Strict):
    """Case-manager routing: ``rules/routering.yaml``."""

    bron: str | None = None
    levensgebieden: dict[str, LifeDomain]
    urgent: list[UrgentSignal]
    route: RouteDef
    wijkteam: TeamContact | None = Field(default=None, description=(
        "het wijkteam; in een regio zet elke gemeente haar eigen wijkteam in gemeenten/<id>/gemeente.yaml"))


class SynonymsFile(Strict):
    """Search synonyms: ``rules/synoniemen.yaml``.

    ``synoniemen`` expands a resident's word to the catalogue's words (one way);
    ``gelijk`` lists groups of words that mean the same (both ways).
    """

    synoniemen: dict[str, list[str]] = Field(default_factory=dict)
    gelijk: list[list[str]] = Field(default_factory=list)


# ---------------------------------------------------------------- a region of municipalities

class RegionFile(Strict):
    """The region: ``gemeenten/regio.yaml``."""

    naam: str = Field(min_length=2, description="naam van de regio, bijvoorbeeld Regio Voorbeeld")
    standaard: str = Field(pattern=PRODUCT_ID.pattern, description=(
        "id van de gemeente die de adressen zonder /<gemeente>/ krijgt (de map gemeenten/<id>/)"))
    centrumgemeente: str = Field(pattern=PRODUCT_ID.pattern, description=(
        "id van de gemeente die de regionale producten uitvoert (regionaal: true)"))


class NormOverride(Strict):
    """A municipality's own values of a norm of the base (``rules/normen.yaml``)."""

    waarden: list[NormValue] = Field(min_length=1, description="de waarden van deze gemeente, oudste eerst")


#: a norm a municipality does not use at all
NORM_GONE = "vervalt"


class MunicipalityFile(Strict):
    """One municipality of the region: ``gemeenten/<id>/gemeente.yaml``. Only what differs from the base."""

    naam: str = Field(min_length=2, description="naam zoals inwoners hem kennen; komt in de tekst op {gemeente}")
    telefoon: str = Field(description="algemeen nummer van de gemeente (onderaan elke pagina)")
    open: str = Field(description="wanneer dat nummer opneemt, bijvoorbeeld: maandag tot en met vrijdag van 8.30 "
                                  "tot 17.00 uur")
    website: str = Field(pattern=r"^https://[a-z0-9.-]+\.[a-z]{2,}$", description=(
        "de website van de gemeente, zoals https://www.buurdorp.nl; komt op {website} (zonder https://) en "
        "{domein} (zonder www.)"))
    owms: str | None = Field(default=None, pattern=r"^https?://standaarden\.overheid\.nl/owms/terms/", description=(
        "de gemeente in de OWMS-lijst, voor de Samenwerkende Catalogi"))
    wijkteam: TeamContact = Field(description=(
        "het wijkteam van deze gemeente: routering, aanmeldingen en het nummer voor hulp dezelfde dag "
        "({wijkteam_telefoon})"))
    contacten: dict[Annotated[str, Field(pattern=NAME)], Contact] = Field(default_factory=dict, description=(
        "contacten van de gemeente; een product met 'contact: naam' toont het contact met die naam"))
    normen: dict[str, NormOverride | Literal["vervalt"]] = Field(default_factory=dict, description=(
        "normen met andere waarden dan rules/normen.yaml, of 'vervalt' voor een norm die de gemeente niet kent"))
    niet_aangeboden: list[str] = Field(default_factory=list, description=(
        "ids van producten uit products/ die deze gemeente niet heeft"))
    producten: dict[str, dict[str, Any]] = Field(default_factory=dict, description=(
        "per product uit products/ alleen de velden die hier anders zijn"))
