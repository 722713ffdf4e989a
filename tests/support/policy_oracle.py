"""An independent, hand-written reading of the policy pack (../shared/policy).

It shares no code with the engine: plain Python if/else over JSON answers,
three-valued (True / False / None) as products.md "Unknown vs not eligible"
describes. Tests compare it with the engine on random households; the
benchmark uses it as the hand-written baseline.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

SITUATIONS = ("alleenstaand", "alleenstaande_ouder", "samenwonend")
D = Decimal


def AND(*values):
    if any(v is False for v in values):
        return False
    if all(v is True for v in values):
        return True
    return None


def OR(*values):
    if any(v is True for v in values):
        return True
    if all(v is False for v in values):
        return False
    return None


def NOT(value):
    return None if value is None else not value


def aow_age(date: dt.date) -> Decimal:
    return D("67.25") if date >= dt.date(2028, 1, 1) else D(67)


def minima_factor(date, gemeente: str = "voorbeeldstad"):
    return by_date(date, MUNICIPAL[gemeente]["minima_grens"])


#: What differs per municipality, from the table in regio.md "What differs (municipal overrides)".
MUNICIPAL = {
    "voorbeeldstad": {
        "minima_grens": [(dt.date(2026, 1, 1), D("1.30")), (dt.date(2027, 1, 1), D("1.40"))],
        "iit_grens": D("1.10"), "iit_bedrag": (D(450), D(600), D(600)), "mantelzorg_min_uren": 8,
        "mantelzorgwaardering_bedrag": [(dt.date(2026, 1, 1), D(200)), (dt.date(2027, 1, 1), D(250))],
        "gemeentelijke_lasten": [
            (dt.date(2026, 1, 1), (D("389.40"), D("512.76"))), (dt.date(2027, 1, 1), (D("401.10"), D("528.12")))],
        "pas": ("voorbeeldpas", 125, 200), "not_offered": set(),
    },
    "buurdorp": {
        "minima_grens": [(dt.date(2026, 1, 1), D("1.20")), (dt.date(2027, 1, 1), D("1.25"))],
        "iit_grens": D("1.20"), "iit_bedrag": (D(400), D(550), D(550)), "mantelzorg_min_uren": 8,
        "mantelzorgwaardering_bedrag": [(dt.date(2026, 1, 1), D(150))],
        "gemeentelijke_lasten": [(dt.date(2026, 1, 1), (D("352.00"), D("468.00")))],
        "pas": ("buurdorppas", 100, 150), "not_offered": {"kindpakket", "maaltijdservice"},
    },
    "kleinmeer": {
        "minima_grens": [(dt.date(2026, 1, 1), D("1.25"))],
        "iit_grens": D("1.10"), "iit_bedrag": (D(450), D(600), D(600)), "mantelzorg_min_uren": 4,
        "mantelzorgwaardering_bedrag": [(dt.date(2026, 1, 1), D(200))],
        "gemeentelijke_lasten": [(dt.date(2026, 1, 1), (D("410.25"), D("540.75")))],
        "pas": None, "not_offered": {"boodschappendienst"},
    },
}


def bijstandsnorm_for(situation: str, real_age_low: Decimal, real_age_high: Decimal, date):
    """All values the norm can take for ages in [low, high); None marks 'no norm' (under 18)."""
    aow = aow_age(date)
    single = situation in ("alleenstaand", "alleenstaande_ouder")
    found = set()
    if real_age_low < 18:
        found.add(None)
    if real_age_low < 21 and real_age_high > 18:
        found.add(D("345.99"))
    if real_age_low < aow and real_age_high > 21:
        found.add(D("1401.50") if single else D("2002.13"))
    if real_age_high > aow:
        found.add(D("1564.69") if single else D("2144.16"))
    return found


def norm_values(a, date):
    situations = [a["leefsituatie"]] if "leefsituatie" in a else list(SITUATIONS)
    if "leeftijd" in a:
        low, high = D(a["leeftijd"]), D(a["leeftijd"]) + 1
    else:
        low, high = D(0), D(121)
    values = set()
    for situation in situations:
        values |= bijstandsnorm_for(situation, low, high, date)
    return values


def limit(factor: Decimal, value: Decimal) -> Decimal:
    return (factor * value).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def income_vs_norm(a, date, factor, strict=False):
    """netto_inkomen <= factor × norm (or < when strict), three-valued."""
    if "netto_inkomen" not in a:
        return None
    values = norm_values(a, date)
    if None in values:
        return None
    income = D(str(a["netto_inkomen"]))
    results = {(income < limit(factor, v)) if strict else (income <= limit(factor, v)) for v in values}
    return results.pop() if len(results) == 1 else None


def by_situation(a, table):
    """A limit that depends only on leefsituatie: the set of possible values."""
    if "leefsituatie" in a:
        return {table[a["leefsituatie"]]}
    return set(table.values())


def amount_at_most(a, key, table):
    if key not in a:
        return None
    amount = D(str(a[key]))
    results = {amount <= v for v in by_situation(a, table)}
    return results.pop() if len(results) == 1 else None


def age_at_least(a, years):
    return None if "leeftijd" not in a else a["leeftijd"] >= years


def age_vs_aow(a, date):
    """True when certainly at or above the AOW age, False when certainly below."""
    if "leeftijd" not in a:
        return None
    age, aow = D(a["leeftijd"]), aow_age(date)
    if age >= aow:
        return True
    if age + 1 <= aow:
        return False
    return None


def eq(a, key, value):
    return None if key not in a else a[key] == value


def has(a, key, value):
    return None if key not in a else value in a[key]


def has_other_than_geen(a):
    return None if "moeite_met" not in a else any(v != "geen" for v in a["moeite_met"])


def products(a: dict, date: dt.date, gemeente: str = "voorbeeldstad") -> dict[str, bool | None]:
    """The status of every product the municipality offers, under the policy pack and regio.md."""
    local = MUNICIPAL[gemeente]
    resident = eq(a, "woont_in_gemeente", True)
    adult = age_at_least(a, 18)
    aow = age_vs_aow(a, date)
    below_aow = NOT(aow)
    minima = income_vs_norm(a, date, minima_factor(date, gemeente))
    vermogen_bijstand = amount_at_most(a, "vermogen", {"alleenstaand": 8000, "alleenstaande_ouder": 16000,
                                                       "samenwonend": 16000})
    long_term = eq(a, "beperking_langdurig", True)
    kids = None if "aantal_kinderen" not in a else a["aantal_kinderen"] >= 1
    hours = None if "mantelzorg_uren" not in a else a["mantelzorg_uren"]
    carer8 = None if hours is None else hours >= local["mantelzorg_min_uren"]
    debts = eq(a, "schulden", True)
    below_norm = income_vs_norm(a, date, D(1), strict=True)
    werk = a.get("situatie_werk")
    not_student = None if werk is None else werk != "student"
    r = {}
    r["bijstandsuitkering"] = AND(resident, adult, below_aow, below_norm, vermogen_bijstand, not_student)
    r["ioaw"] = AND(resident, age_at_least(a, 60), below_aow, below_norm, eq(a, "situatie_werk", "werkzoekend"),
                    OR(eq(a, "baan_verloren", True), eq(a, "laag_inkomen_3_jaar", True)))
    r["individuele-inkomenstoeslag"] = AND(resident, age_at_least(a, 21), below_aow,
                                           income_vs_norm(a, date, local["iit_grens"]), eq(a, "laag_inkomen_3_jaar", True),
                                           not_student)
    r["bijzondere-bijstand"] = AND(resident, adult, eq(a, "bijzondere_kosten", True), minima)
    r["kwijtschelding-gemeentelijke-belastingen"] = AND(
        resident, adult, income_vs_norm(a, date, D("1.00")),
        amount_at_most(a, "vermogen", {"alleenstaand": 2500, "alleenstaande_ouder": 3500, "samenwonend": 3500}))
    if local["pas"]:
        r[local["pas"][0]] = AND(resident, minima, vermogen_bijstand)
    r["kindpakket"] = AND(resident, kids, minima)
    r["collectieve-zorgverzekering"] = AND(resident, adult, minima)
    r["schuldhulpverlening"] = AND(resident, adult, debts)
    r["studietoeslag"] = AND(resident, adult, eq(a, "situatie_werk", "student"), has_other_than_geen(a), long_term)
    r["werkfit-traject"] = AND(resident, adult, below_aow,
                               None if werk is None else werk in ("werkzoekend", "arbeidsongeschikt"))
    r["huishoudelijke-ondersteuning"] = AND(resident, adult, has(a, "moeite_met", "huishouden"),
                                            eq(a, "huisgenoot_kan_helpen", False))
    move_inside, move_outside = has(a, "moeite_met", "verplaatsen_in_huis"), has(a, "moeite_met", "verplaatsen_buiten")
    r["rolstoel"] = AND(resident, OR(move_inside, move_outside), long_term)
    r["scootmobiel"] = AND(resident, age_at_least(a, 16), move_outside, long_term, eq(a, "loopafstand_onder_100m", True))
    r["woningaanpassing"] = AND(resident, long_term, OR(move_inside, has(a, "moeite_met", "zelfzorg")),
                                None if "woonsituatie" not in a else a["woonsituatie"] in ("huurwoning", "koopwoning"))
    r["begeleiding"] = AND(resident, adult, OR(has(a, "moeite_met", "dagbesteding"), has(a, "moeite_met", "administratie")),
                           long_term, eq(a, "huisgenoot_kan_helpen", False))
    r["dagbesteding"] = AND(resident, adult, has(a, "moeite_met", "dagbesteding"), long_term)
    r["regiotaxi"] = AND(resident, move_outside, long_term)
    r["gehandicaptenparkeerkaart"] = AND(resident, eq(a, "loopafstand_onder_100m", True), long_term)
    r["mantelzorgwaardering"] = carer8
    r["respijtzorg"] = AND(resident, carer8, eq(a, "mantelzorg_zwaar", True))
    r["beschermd-wonen"] = AND(adult, eq(a, "psychische_klachten", True), eq(a, "zelfstandig_wonen_lukt_niet", True))
    r["maatschappelijke-opvang"] = AND(adult, eq(a, "woonsituatie", "geen_vaste_woonplek"))
    r["jeugdhulp"] = AND(resident, kids, eq(a, "zorgen_over_kind", True))
    r["leerlingenvervoer"] = AND(resident, kids, eq(a, "kind_beperking_school", True))
    r["opvoedondersteuning"] = kids
    administration = has(a, "moeite_met", "administratie")
    r["formulierenhulp"] = OR(administration, minima)
    r["sociaal-raadslieden"] = OR(debts, eq(a, "juridische_vraag", True), minima)
    r["thuisadministratie"] = OR(administration, debts)
    r["budgetcursus"] = OR(debts, income_vs_norm(a, date, D("1.10")))
    r["buurthuis"] = OR(eq(a, "eenzaam", True), has(a, "moeite_met", "dagbesteding"))
    r["maatjesproject"] = eq(a, "eenzaam", True)
    r["maaltijdservice"] = has(a, "moeite_met", "koken")
    r["valpreventie"] = age_at_least(a, 65)
    r["mantelzorgsteunpunt"] = None if hours is None else hours >= 1
    r["boodschappendienst"] = move_outside
    r["huurtoeslag"] = AND(adult, eq(a, "woonsituatie", "huurwoning"),
                           amount_at_most(a, "vermogen", {"alleenstaand": 38479, "alleenstaande_ouder": 38479,
                                                          "samenwonend": 76958}),
                           income_vs_norm(a, date, D("2.00")))
    r["zorgtoeslag"] = AND(adult,
                           amount_at_most(a, "netto_inkomen", {"alleenstaand": 2600, "alleenstaande_ouder": 2600,
                                                               "samenwonend": 3300}),
                           amount_at_most(a, "vermogen", {"alleenstaand": 146011, "alleenstaande_ouder": 146011,
                                                          "samenwonend": 184633}))
    r["kindgebonden-budget"] = AND(kids, income_vs_norm(a, date, D("2.50")))
    r["aow-aio"] = AND(aow, below_norm)
    r["ww-uitkering"] = AND(eq(a, "baan_verloren", True), below_aow)
    r["voedselbank"] = AND(debts, income_vs_norm(a, date, D("1.00")))
    r["juridisch-loket"] = eq(a, "juridische_vraag", True)
    r["veilig-thuis"] = eq(a, "onveilig_thuis", True)
    r["huisarts-ggz"] = eq(a, "psychische_klachten", True)
    r["wlz-indicatie"] = AND(eq(a, "zelfstandig_wonen_lukt_niet", True), long_term, eq(a, "psychische_klachten", False))
    return {pid: status for pid, status in r.items() if pid not in local["not_offered"]}


def routing(a: dict, date: dt.date, statuses: dict) -> tuple[bool | None, bool]:
    """(route, urgent) under routing.md."""
    debts = eq(a, "schulden", True)
    domains = [
        OR(debts, income_vs_norm(a, date, D(1), strict=True)),
        OR(eq(a, "woonsituatie", "geen_vaste_woonplek"), eq(a, "zelfstandig_wonen_lukt_niet", True)),
        OR(eq(a, "psychische_klachten", True), AND(has_other_than_geen(a), eq(a, "beperking_langdurig", True))),
        eq(a, "zorgen_over_kind", True),
        OR(eq(a, "situatie_werk", "werkzoekend"), eq(a, "baan_verloren", True)),
        eq(a, "eenzaam", True),
        eq(a, "mantelzorg_zwaar", True),
    ]
    true = sum(1 for d in domains if d is True)
    open_ = sum(1 for d in domains if d is None)
    three = True if true >= 3 else False if true + open_ < 3 else None
    urgent_signal = OR(eq(a, "onveilig_thuis", True), eq(a, "woonsituatie", "geen_vaste_woonplek"))
    kids = None if "aantal_kinderen" not in a else a["aantal_kinderen"] >= 1
    combined = AND(debts, kids, OR(eq(a, "zorgen_over_kind", True), eq(a, "psychische_klachten", True)))
    route = OR(urgent_signal, three, combined, statuses["beschermd-wonen"], eq(a, "wil_persoonlijk_contact", True))
    return route, urgent_signal is True


# ---------------------------------------------------------------- amounts.md

#: question ids in the order of the vocabulary (questions.md), for "depends_on"
ORDER = ("leeftijd", "leefsituatie", "aantal_kinderen", "netto_inkomen")
MONTHLY, YEARLY = "maand", "jaar"


def by_date(date, values):
    """The value that applies on ``date`` from a list of (start, value), oldest first."""
    found = None
    for start, value in values:
        if date >= start:
            found = value
    return found


Y2026, Y2027 = dt.date(2026, 1, 1), dt.date(2027, 1, 1)


def situation_value(a, table):
    """(value, depends_on) of a figure that depends on leefsituatie only."""
    if "leefsituatie" not in a:
        return None, {"leefsituatie"}
    return table[a["leefsituatie"]], set()


def adults(a):
    return situation_value(a, {"alleenstaand": 1, "alleenstaande_ouder": 1, "samenwonend": 2})


def children(a):
    return (D(a["aantal_kinderen"]), set()) if "aantal_kinderen" in a else (None, {"aantal_kinderen"})


def income(a):
    return (D(str(a["netto_inkomen"])), set()) if "netto_inkomen" in a else (None, {"netto_inkomen"})


def norm_for_amount(a, date):
    """(value, depends_on, available) of the bijstandsnorm as an amount uses it."""
    values = norm_values(a, date)
    if values == {None}:
        return None, set(), False  # under 18: no norm at all
    if len(values) == 1:
        return values.pop(), set(), True
    open_ = {q for q in ("leeftijd", "leefsituatie") if q not in a} or {"leeftijd"}
    return None, open_, True


NO_AMOUNT = "none"


def combine(*parts):
    """(value or None, depends_on) from (value, depends_on) parts; value None when any part is open."""
    depends = set().union(*(d for _v, d in parts))
    return (None, depends) if depends else ([v for v, _d in parts], set())


def amounts(a: dict, date: dt.date, statuses: dict, gemeente: str = "voorbeeldstad") -> dict[str, tuple]:
    """Per product of amounts.md: (euros or None, period, depends_on in question order); nothing for others.

    A product that is not_eligible shows no figure; an open amount has no value and names its questions.
    """
    found = {}
    local = MUNICIPAL[gemeente]
    norm, norm_open, norm_available = norm_for_amount(a, date)
    single, parent, couple = local["iit_bedrag"]
    lasten_single, lasten_couple = by_date(date, local["gemeentelijke_lasten"])

    def top_up():
        if not norm_available:
            return NO_AMOUNT
        values, depends = combine((norm, norm_open), income(a))
        return (None, depends) if depends else (values[0] - values[1], set())

    formulas = {
        "bijstandsuitkering": (MONTHLY, top_up),
        "ioaw": (MONTHLY, top_up),
        "individuele-inkomenstoeslag": (YEARLY, lambda: situation_value(
            a, {"alleenstaand": single, "alleenstaande_ouder": parent, "samenwonend": couple})),
        "mantelzorgwaardering": (YEARLY, lambda: (by_date(date, local["mantelzorgwaardering_bedrag"]), set())),
        "kwijtschelding-gemeentelijke-belastingen": (YEARLY, lambda: situation_value(a, {
            "alleenstaand": lasten_single, "alleenstaande_ouder": lasten_single, "samenwonend": lasten_couple})),
        "kindpakket": (YEARLY, lambda: _apply(combine(children(a)), lambda kids: by_date(
            date, [(Y2026, D(275)), (Y2027, D(300))]) * kids)),
        "collectieve-zorgverzekering": (MONTHLY, lambda: _apply(combine(adults(a)), lambda n: by_date(
            date, [(Y2026, D("22.50")), (Y2027, D("24.00"))]) * n)),
    }
    if local["pas"]:
        pas, per_adult, per_child = local["pas"]
        formulas[pas] = (YEARLY, lambda: _apply(combine(adults(a), children(a)),
                                                lambda n, kids: per_adult * n + per_child * kids))
    formulas = {pid: formula for pid, formula in formulas.items() if pid in statuses}
    for pid, (period, formula) in formulas.items():
        if statuses[pid] is False:
            found[pid] = (None, period, ())
            continue
        outcome = formula()
        if outcome == NO_AMOUNT or (outcome[0] is not None and outcome[0] <= 0):
            found[pid] = (None, period, ())
            continue
        value, depends = outcome
        found[pid] = (None if value is None else D(value).quantize(D("0.01"), rounding=ROUND_HALF_UP), period,
                      tuple(q for q in ORDER if q in depends))
    return found


def _apply(combined, fn):
    values, depends = combined
    return (None, depends) if depends else (D(fn(*values)), set())


def amounts_total(found: dict, statuses: dict) -> tuple[Decimal, set[str], bool]:
    """(per year, products counted, complete) under "The total" of amounts.md."""
    eligible = {pid: v for pid, v in found.items() if statuses[pid] is True}
    complete = all(value is not None for value, _period, _deps in eligible.values())
    per_year = {pid: value * (12 if period == MONTHLY else 1) for pid, (value, period, _d) in eligible.items()
                if value is not None}
    if "ioaw" in per_year and "bijstandsuitkering" in per_year:  # IOAW comes instead of bijstand
        if per_year["ioaw"] >= per_year["bijstandsuitkering"]:
            del per_year["bijstandsuitkering"]
        else:
            del per_year["ioaw"]
    return sum(per_year.values(), D(0)), set(per_year), complete
