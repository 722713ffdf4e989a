"""Contact details of a referral: validation with B1 messages per form field."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Mapping

CONTACT_TIMES = {
    "ochtend": "'s Ochtends (9.00 tot 12.00 uur)",
    "middag": "'s Middags (12.00 tot 17.00 uur)",
    "avond": "'s Avonds (17.00 tot 20.00 uur)",
    "geen_voorkeur": "Geen voorkeur",
}
CONTACT_WAYS = {  # how an urgent household wants to be reached first
    "telefoon": "Bellen",
    "sms": "Een sms'je",
    "email": "E-mail",
}
NEEDS_PHONE = {"telefoon", "sms"}
NAME_MAX = 200
NOTE_MAX = 2000
EMAIL_MAX = 254

_PHONE_SEPARATORS = re.compile(r"[\s\-.()/]")
_PHONE_PATTERNS = (
    re.compile(r"0[1-9]\d{8}"),             # 06 mobile, 0xx / 0xxx landline, 085/088
    re.compile(r"140\d{2,3}"),              # 14 0xx(x): a municipality's number
    re.compile(r"0(?:800|900|906|909)\d{4,7}"),  # information numbers
)
_EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_EMAIL_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong in one form field, said to the resident."""

    field: str
    message: str


class ReferralError(ValueError):
    """The referral cannot be stored as given; ``problems`` says why, per field."""

    def __init__(self, problems: list[FieldProblem]):
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class ContactDetails:
    name: str
    phone: str | None
    email: str | None
    contact_time: str
    note: str = ""
    safe_to_call: bool | None = None   # asked when the household is urgent; None: not asked
    preferred: str | None = None       # a key of CONTACT_WAYS; asked when the household is urgent


def normalise_phone(text: str) -> str:
    """A Dutch phone number in national digits; raise ValueError when it is not one.

    >>> normalise_phone("06-1234 5678"), normalise_phone("+31 (0)20 123 4567"), normalise_phone("14 020")
    ('0612345678', '0201234567', '14020')
    """
    compact = _PHONE_SEPARATORS.sub("", text)
    for prefix in ("+31", "0031"):
        if compact.startswith(prefix):
            rest = compact[len(prefix):]
            compact = rest if rest.startswith("0") else "0" + rest
            break
    if compact.isascii() and compact.isdigit() and any(p.fullmatch(compact) for p in _PHONE_PATTERNS):
        return compact
    raise ValueError("Vul een Nederlands telefoonnummer in, bijvoorbeeld 06 12345678 of 020 1234567.")


def format_phone(digits: str) -> str:
    """Readable grouping for staff screens.

    >>> format_phone("0612345678"), format_phone("0201234567"), format_phone("14020")
    ('06 1234 5678', '020 123 4567', '14 020')
    """
    if digits.startswith("06") and len(digits) == 10:
        return f"06 {digits[2:6]} {digits[6:]}"
    if digits.startswith("140"):
        return f"14 {digits[2:]}"
    if len(digits) == 10:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return digits


def normalise_email(text: str) -> str:
    """A syntactically valid e-mail address (domain lower-cased); raise ValueError otherwise.

    >>> normalise_email(" Jan.de.Vries@Voorbeeldstad.NL ")
    'Jan.de.Vries@voorbeeldstad.nl'
    """
    problem = ValueError("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")
    address = text.strip()
    if len(address) > EMAIL_MAX or address.count("@") != 1:
        raise problem
    local, domain = address.split("@")
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise problem from None
    labels = ascii_domain.split(".")
    if (not local or len(local) > 64 or not _EMAIL_LOCAL.match(local) or len(labels) < 2
            or not all(_EMAIL_LABEL.match(label) for label in labels) or labels[-1].isdigit()):
        raise problem
    return f"{local}@{domain.lower()}"


def _clean_text(text: str, *, multiline: bool) -> str:
    """Normalise (NFC, newlines) and drop control characters that have no place in a form."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    allowed = "\n\t" if multiline else ""
    return "".join(c for c in text if c in allowed or unicodedata.category(c)[0] != "C").strip()


def validate_contact(form: Mapping[str, str], *, urgent: bool = False
                     ) -> tuple[ContactDetails | None, list[FieldProblem]]:
    """Check the contact fields of the referral form: name, phone, email, contact_time, note; when the
    household is urgent also safe_to_call (ja/nee) and preferred (a way of contact that was filled in).

    The best time to call is asked only when a phone number is given (without one it is "geen_voorkeur")."""
    problems: list[FieldProblem] = []
    name = _clean_text(form.get("name") or "", multiline=False)
    if not name:
        problems.append(FieldProblem("name", "Vul uw naam in."))
    elif len(name) > NAME_MAX:
        problems.append(FieldProblem("name", f"Uw naam mag niet langer zijn dan {NAME_MAX} tekens."))

    phone = email = None
    raw_phone = (form.get("phone") or "").strip()
    raw_email = (form.get("email") or "").strip()
    if not raw_phone and not raw_email:
        problems.append(FieldProblem("phone", "Vul een telefoonnummer of een e-mailadres in, zodat het "
                                              "wijkteam contact met u kan opnemen."))
    if raw_phone:
        try:
            phone = normalise_phone(raw_phone)
        except ValueError as exc:
            problems.append(FieldProblem("phone", str(exc)))
    if raw_email:
        try:
            email = normalise_email(raw_email)
        except ValueError as exc:
            problems.append(FieldProblem("email", str(exc)))

    contact_time = form.get("contact_time") or ""
    if not raw_phone:
        contact_time = "geen_voorkeur"  # nobody to call: the question was not asked
    elif contact_time not in CONTACT_TIMES:
        problems.append(FieldProblem("contact_time", "Kies wanneer het wijkteam u het beste kan bellen."))

    safe_to_call, preferred = (_urgent_contact(form, raw_phone, raw_email, problems) if urgent else (None, None))

    note = _clean_text(form.get("note") or "", multiline=True)
    if len(note) > NOTE_MAX:
        problems.append(FieldProblem("note", f"Uw toelichting is {len(note)} tekens lang. "
                                             f"Het mogen er hoogstens {NOTE_MAX} zijn."))
    if problems:
        return None, problems
    return ContactDetails(name, phone, email, contact_time, note, safe_to_call, preferred), []


def _urgent_contact(form: Mapping[str, str], raw_phone: str, raw_email: str,
                    problems: list[FieldProblem]) -> tuple[bool | None, str | None]:
    """Is calling safe, and which way of contact comes first: asked when someone may not be safe at home."""
    safe = {"ja": True, "nee": False}.get(form.get("safe_to_call") or "")
    if safe is None:
        problems.append(FieldProblem("safe_to_call", "Kies of het veilig is om u te bellen."))
    preferred = form.get("preferred") or ""
    if preferred not in CONTACT_WAYS:
        problems.append(FieldProblem("preferred", "Kies hoe het wijkteam u het beste kan bereiken."))
        return safe, None
    if preferred in NEEDS_PHONE and not raw_phone:
        problems.append(FieldProblem("preferred", "Vul een telefoonnummer in, of kies e-mail."))
    elif preferred == "email" and not raw_email:
        problems.append(FieldProblem("preferred", "Vul een e-mailadres in, of kies een andere manier."))
    elif preferred == "telefoon" and safe is False:
        problems.append(FieldProblem("preferred", "U schreef dat bellen niet veilig is. Kies een sms'je of e-mail."))
    return safe, preferred
