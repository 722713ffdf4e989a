"""Samenwerkende Catalogi 4.0: the product feed the national channels harvest.

The structure follows real SC 4.0 records (``overheidproduct:scproducten`` with
one ``scproduct`` per product: ``meta`` with ``owmskern``, ``owmsmantel`` and
``scmeta``, then ``body/productHTML``). Every text goes through ElementTree,
so ``<``, ``&`` and quotes are always escaped; the product body is XHTML text.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .catalog import Catalog, Product
from .municipality import Municipality
from .publishing import DEFAULT_BASE_URL, clean_text, norms_day, paragraphs, product_url
from .wording import Description

NS = {
    "overheidproduct": "http://standaarden.overheid.nl/product/terms/",
    "overheid": "http://standaarden.overheid.nl/owms/terms/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
SCHEMA_LOCATION = "http://standaarden.overheid.nl/product/terms/ http://standaarden.overheid.nl/sc/4.0/xsd/sc.xsd"
OWMS_TERMS = "http://standaarden.overheid.nl/owms/terms/"
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# SC 4.0 asks for at least one uniformeProductnaam; the UPL has this entry for products without one.
UPL_NOT_AVAILABLE = (OWMS_TERMS + "UPL-naam_nog_niet_beschikbaar", "UPL-naam nog niet beschikbaar")

# Our domains on the OWMS value list TaxonomieBeleidsagenda (dcterms:subject).
SUBJECTS = {
    "geld": "Sociale zekerheid",
    "wonen": "Huisvesting",
    "zorg": "Zorg en gezondheid",
    "gezin": "Gezin en kinderen",
    "werk": "Werk",
    "mantelzorg": "Zorg en gezondheid",
    "contact": "Zorg en gezondheid",
    "veiligheid": "Openbare orde en veiligheid",
}


for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


@dataclass(frozen=True)
class Publisher:
    """Who publishes the feed: the municipality (spatial, authority) and where its pages are; in a region the
    centrumgemeente is the authority of the regional products (``regionaal: true``)."""

    base_url: str = DEFAULT_BASE_URL
    municipality: str = "Voorbeeldstad"
    municipality_uri: str = OWMS_TERMS + "Voorbeeldstad"
    central: str | None = None
    central_uri: str | None = None

    @classmethod
    def named(cls, base_url: str, municipality: str, municipality_uri: str | None = None) -> "Publisher":
        """A publisher whose OWMS URI defaults to the municipality's entry in the OWMS list.

        >>> Publisher.named("https://x.nl", "Den Haag").municipality_uri
        'http://standaarden.overheid.nl/owms/terms/Den_Haag'
        """
        return cls(base_url, municipality, municipality_uri or owms_uri(municipality))

    @classmethod
    def of(cls, base_url: str, municipality: Municipality, central: Municipality | None = None) -> "Publisher":
        """The feed of one municipality of a region: its pages live under its own prefix."""
        return cls(base_url.rstrip("/") + municipality.prefix, municipality.name,
                   municipality.owms_uri or owms_uri(municipality.name),
                   central.name if central is not None else None,
                   (central.owms_uri or owms_uri(central.name)) if central is not None else None)

    def authority(self, product: Product) -> tuple[str, str]:
        """(name, OWMS URI) of who is responsible for a product."""
        if product.content.regionaal and self.central is not None:
            return self.central, self.central_uri or owms_uri(self.central)
        return self.municipality, self.municipality_uri


def owms_uri(name: str) -> str:
    return OWMS_TERMS + name.replace(" ", "_")


def _q(prefixed: str) -> str:
    prefix, local = prefixed.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), {k: v for k, v in attrs.items()})
    if text is not None:
        element.text = clean_text(text)
    return element


def online_application(product: Product) -> str:
    """``ja``, ``digid`` (online with DigiD) or ``nee``: the SC value of onlineAanvragen."""
    application = product.content.aanvragen
    if not application.online:
        return "nee"
    return "digid" if any("digid" in step.lower() for step in application.stappen) else "ja"


def file_modified(catalog: Catalog) -> Callable[[Product], dt.date]:
    """The date a product file last changed (its modification time)."""
    def modified(product: Product) -> dt.date:
        try:
            stamp = (Path(catalog.root) / product.path).stat().st_mtime
        except OSError:
            return catalog.loaded_at.date()
        return dt.datetime.fromtimestamp(stamp, dt.timezone.utc).date()
    return modified


def render_sc_feed(catalog: Catalog, base_url: str = DEFAULT_BASE_URL, *, publisher: Publisher | None = None,
                   date: dt.date | None = None,
                   modified: Callable[[Product], dt.date] | None = None) -> bytes:
    """The SC 4.0 XML feed of every product, as UTF-8 bytes (served at /samenwerkende-catalogi.xml)."""
    publisher = publisher or Publisher(base_url=base_url)
    modified = modified or file_modified(catalog)
    day = norms_day(catalog, date or dt.date.today())
    root = ET.Element(_q("overheidproduct:scproducten"), {_q("xsi:schemaLocation"): SCHEMA_LOCATION})
    for product in catalog.sorted_products():
        root.append(_scproduct(catalog, product, publisher, modified(product), day))
    ET.indent(root)
    return (XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def _scproduct(catalog: Catalog, product: Product, publisher: Publisher, modified: dt.date, day) -> ET.Element:
    content = product.content
    scproduct = ET.Element(_q("overheidproduct:scproduct"), {"owms-version": "4.0"})
    meta = _sub(scproduct, "overheidproduct:meta")
    kern = _sub(meta, "overheidproduct:owmskern")
    _sub(kern, "dcterms:identifier", product_url(publisher.base_url, product.id))
    _sub(kern, "dcterms:title", product.title)
    _sub(kern, "dcterms:language", "nl")
    _sub(kern, "dcterms:type", "productbeschrijving", scheme="overheid:Informatietype")
    _sub(kern, "dcterms:modified", modified.isoformat())
    _sub(kern, "dcterms:spatial", publisher.municipality, scheme="overheid:Gemeente",
         resourceIdentifier=publisher.municipality_uri)
    authority, authority_uri = publisher.authority(product)
    _sub(kern, "overheid:authority", authority, scheme="overheid:Gemeente", resourceIdentifier=authority_uri)
    mantel = _sub(meta, "overheidproduct:owmsmantel")
    _sub(mantel, "dcterms:audience", "particulier", scheme="overheid:Doelgroep")
    for subject in dict.fromkeys(SUBJECTS[d] for d in product.domains):
        _sub(mantel, "dcterms:subject", subject, scheme="overheid:TaxonomieBeleidsagenda")
    _sub(mantel, "dcterms:abstract", " ".join(paragraphs(product.summary)))
    scmeta = _sub(meta, "overheidproduct:scmeta")
    _sub(scmeta, "overheidproduct:productID", product.id)
    online = online_application(product)
    _sub(scmeta, "overheidproduct:onlineAanvragen", online)
    if online != "nee":
        _sub(scmeta, "overheidproduct:aanvraagURL", resourceIdentifier=content.aanvragen.online)
    uri, name = (content.upl.uri, content.upl.naam) if content.upl else UPL_NOT_AVAILABLE
    _sub(scmeta, "overheidproduct:uniformeProductnaam", name, scheme="overheid:UniformeProductnaam",
         resourceIdentifier=uri)
    body = _sub(scproduct, "overheidproduct:body")
    _sub(body, "overheidproduct:productHTML", product_html(catalog, product, day))
    return scproduct


# ---------------------------------------------------------------- the body as XHTML

def product_html(catalog: Catalog, product: Product, day) -> str:
    """The product page body as an XHTML fragment (well-formed, every text escaped)."""
    c = product.content
    parts: list[ET.Element] = [_element("p", product.summary)]
    _section(parts, "Wat krijgt u?", [_element("p", p) for p in paragraphs(c.wat_krijgt_u)])
    who = [_element("p", p) for p in paragraphs(c.voor_wie)]
    who.append(_description_list(catalog.describe(product.rule, day)))
    _section(parts, "Voor wie?", who)
    steps = ET.Element("ol")
    for step in c.aanvragen.stappen:
        _child(steps, "li", step)
    apply = [steps]
    if c.aanvragen.online:
        paragraph = ET.Element("p")
        _child(paragraph, "a", "Online aanvragen", href=c.aanvragen.online)
        apply.append(paragraph)
    _section(parts, "Aanvragen", apply)
    if c.meenemen:
        bring = ET.Element("ul")
        for item in c.meenemen:
            _child(bring, "li", item)
        _section(parts, "Wat heeft u nodig?", [bring])
    _section(parts, "Kosten", [_element("p", p) for p in paragraphs(c.kosten)])
    if c.beslistermijn:
        _section(parts, "Hoe lang duurt het?", [_element("p", p) for p in paragraphs(c.beslistermijn)])
    _section(parts, "Contact", [_contact(c.contact)])
    basis = ET.Element("p")
    label = ", ".join(x for x in (c.wettelijke_basis.wet, c.wettelijke_basis.artikel) if x)
    if c.wettelijke_basis.bron:
        _child(basis, "a", label, href=c.wettelijke_basis.bron)
    else:
        basis.text = clean_text(label)
    _section(parts, "Wettelijke basis", [basis])
    return "".join(ET.tostring(part, encoding="unicode", short_empty_elements=True) for part in parts)


def _element(tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.Element(tag, attrs)
    element.text = clean_text(text)
    return element


def _child(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = clean_text(text)
    return element


def _section(parts: list[ET.Element], heading: str, elements: list[ET.Element]) -> None:
    if elements:
        parts.append(_element("h2", heading))
        parts.extend(elements)


def _description_list(description: Description) -> ET.Element:
    top = ET.Element("ul")
    _describe_into(top, description)
    return top


def _describe_into(parent: ET.Element, description: Description) -> None:
    item = _child(parent, "li", description.text)
    if description.limits:
        figures = ET.SubElement(item, "ul")
        for lead, lines in description.limits:
            for line in lines:
                _child(figures, "li", f"{lead} {line}" if lead else line)
    if description.children:
        nested = ET.SubElement(item, "ul")
        for child in description.children:
            _describe_into(nested, child)


def _contact(contact) -> ET.Element:
    items = ET.Element("ul")
    _child(items, "li", contact.naam)
    if contact.telefoon:
        _child(items, "li", f"Telefoon: {contact.telefoon}")
    if contact.email:
        line = ET.SubElement(items, "li")
        line.text = "E-mail: "
        _child(line, "a", contact.email, href=f"mailto:{contact.email}")
    if contact.website:
        line = ET.SubElement(items, "li")
        _child(line, "a", contact.website, href=contact.website)
    if contact.adres:
        _child(items, "li", f"Adres: {contact.adres}")
    if contact.open:
        _child(items, "li", f"Open: {contact.open}")
    return items
