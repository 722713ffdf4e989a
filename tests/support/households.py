"""Random households for property tests and benchmarks, dense around the policy's thresholds."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

NORM_VALUES = ["345.99", "1401.50", "2002.13", "1564.69", "2144.16"]
FACTORS = ["1.00", "1.10", "1.30", "1.40", "2.00", "2.50"]
DATES = [dt.date(2026, 1, 1), dt.date(2026, 11, 26), dt.date(2026, 12, 31), dt.date(2027, 1, 1),
         dt.date(2027, 2, 1), dt.date(2027, 6, 30), dt.date(2027, 12, 31), dt.date(2028, 1, 1), dt.date(2028, 6, 1)]
ASSET_LIMITS = [2500, 3500, 8000, 16000, 38479, 76958, 146011, 184633]
MOEITE = ["huishouden", "koken", "verplaatsen_in_huis", "verplaatsen_buiten", "zelfzorg", "dagbesteding",
          "administratie"]
TOPICS = ["geld", "wonen", "zorg", "gezin", "werk", "mantelzorg", "contact", "veiligheid"]


def _limits() -> list[float]:
    found = {0.0, 2600.0, 2599.99, 2600.01, 3300.0, 3299.99, 3300.01}
    for value in NORM_VALUES:
        for factor in FACTORS:
            limit = (Decimal(value) * Decimal(factor)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            for delta in ("-0.01", "0", "0.01"):
                found.add(float(limit + Decimal(delta)))
    return sorted(found)


INCOME_POINTS = _limits()


def money(rng: random.Random, points: list[float], top: float) -> float:
    if rng.random() < 0.7:
        return rng.choice(points)
    return round(rng.uniform(0, top), 2)


def household(rng: random.Random) -> dict:
    """A complete household: every question answered."""
    age = rng.choice([rng.randint(0, 120), rng.randint(15, 22), rng.randint(58, 69), 17, 18, 20, 21, 65, 66, 67, 68])
    moeite = ["geen"] if rng.random() < 0.35 else rng.sample(MOEITE, rng.randint(1, 3))
    kids = rng.choice([0, 0, 1, 2, 3, rng.randint(0, 15)])
    hours = rng.choice([0, 0, 1, 7, 8, 9, rng.randint(0, 168)])
    b = lambda p=0.5: rng.random() < p  # noqa: E731
    return {
        "onderwerpen": rng.sample(TOPICS, rng.randint(1, 3)),
        "woont_in_gemeente": b(0.85),
        "leeftijd": age,
        "leefsituatie": rng.choice(["alleenstaand", "alleenstaande_ouder", "samenwonend"]),
        "aantal_kinderen": kids,
        "netto_inkomen": money(rng, INCOME_POINTS, 7000),
        "vermogen": money(rng, [float(x) + d for x in ASSET_LIMITS for d in (-0.01, 0, 0.01)] + [0.0], 250000),
        "laag_inkomen_3_jaar": b(),
        "situatie_werk": rng.choice(["werkend", "werkzoekend", "arbeidsongeschikt", "student", "pensioen", "anders"]),
        "baan_verloren": b(0.2),
        "schulden": b(0.3),
        "bijzondere_kosten": b(0.3),
        "woonsituatie": rng.choice(["huurwoning", "koopwoning", "inwonend", "geen_vaste_woonplek"]),
        "huur": round(rng.uniform(300, 1500), 2),
        "moeite_met": moeite,
        "beperking_langdurig": b(),
        "loopafstand_onder_100m": b(0.3),
        "huisgenoot_kan_helpen": b(),
        "mantelzorg_uren": hours,
        "mantelzorg_zwaar": b(0.3),
        "zorgen_over_kind": b(0.3),
        "kind_beperking_school": b(0.2),
        "eenzaam": b(0.3),
        "psychische_klachten": b(0.3),
        "zelfstandig_wonen_lukt_niet": b(0.15),
        "onveilig_thuis": b(0.1),
        "juridische_vraag": b(0.2),
        "wil_persoonlijk_contact": b(0.2),
    }


def partial(rng: random.Random, complete: dict) -> dict:
    keep = rng.random()
    return {k: v for k, v in complete.items() if rng.random() < keep}
