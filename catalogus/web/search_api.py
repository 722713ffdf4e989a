"""``GET /api/v1/search``: ranked products for what a resident typed (contract: api.md).

The query is plain words, never query syntax. Empty or whitespace-only ``q`` -> 422;
``limit`` outside 1..50 -> 422; anything else (2,000 characters, only punctuation,
``AND (``) is answered, possibly with no results.
"""

from __future__ import annotations

from litestar import Request, get
from litestar.datastructures import CacheControlHeader
from litestar.openapi.spec import OpenAPIType
from litestar.params import QueryParameter
from msgspec import Struct
from typing_extensions import Annotated

from .api import BAD_REQUEST, GEMEENTE_QUERY, PREFIX, TAGS, _page_url, _problem, municipality_catalog
from .deps import SnapshotDep
from .api_schema import ApiError, Domain, Kind
from .search import run_search

MAX_LIMIT = 50
#: every character Python calls white space (``str.isspace``, what ``strip`` removes); all lie below U+3001
WHITESPACE = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())


def not_whitespace_pattern() -> str:
    r"""An ECMA-262 character class for "one character that is not white space" in Python's sense.

    JSON Schema's ``\S`` means JavaScript white space, which differs: U+0085 and U+001C are
    white space to Python (the handler calls them blank) but not to JavaScript; U+FEFF is the reverse.

    >>> import re; pattern = not_whitespace_pattern()
    >>> [bool(re.search(pattern, text)) for text in ("\x85", "\x1c", " \u3000", "\ufeff", " a ")]
    [False, False, False, True, True]
    """
    return "[^" + "".join(f"\\u{ord(c):04x}" for c in WHITESPACE) + "]"


def is_blank(text: str | None) -> bool:
    """No character that is not white space (the same test the OpenAPI pattern describes)."""
    return text is None or not text.strip()


# The document says what the handler demands (a missing or blank q is the handler's own Dutch 422):
# q is required and holds at least one character that is not white space, in Python's sense.
QUERY_SCHEMA = {"oneOf": None, "type": OpenAPIType.STRING, "pattern": not_whitespace_pattern()}


class SearchHit(Struct, kw_only=True):
    id: str
    title: str
    kind: Kind
    domains: list[Domain]
    summary: str
    score: float
    highlights: list[str]  # HTML-escaped text fragments with <mark> around the matching words
    url: str


class SearchFacets(Struct, kw_only=True):
    domain: dict[str, int]
    kind: dict[str, int]


class SearchResponse(Struct, kw_only=True):
    query: str
    results: list[SearchHit]
    suggestion: str | None  # a corrected query ("Bedoelde u ...?") or null
    total: int
    facets: SearchFacets


@get(f"{PREFIX}/search", name="api-search", tags=TAGS, responses=BAD_REQUEST,
     cache_control=CacheControlHeader(no_store=True),  # the query may be personal
     summary="Zoek producten met de woorden van de inwoner; beste eerst, met 'Bedoelde u'")
async def search(
    request: Request,
    snapshot: SnapshotDep,
    q: Annotated[str | None, QueryParameter(description="wat de inwoner typte (gewone woorden)", required=True,
                                       schema_extra=QUERY_SCHEMA)] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="hoeveel resultaten (1 tot en met 50)")] = 10,
    kind: Annotated[Kind | None, QueryParameter(description="alleen deze soort")] = None,
    domain: Annotated[Domain | None, QueryParameter(description="alleen dit domein")] = None,
    gemeente: Annotated[str | None, GEMEENTE_QUERY] = None,
) -> SearchResponse:
    if is_blank(q):
        raise _problem(422, [ApiError("typ een of meer woorden om te zoeken", field="q")])
    catalog = municipality_catalog(snapshot, gemeente)
    found = await run_search(request, q, limit=limit, domain=domain, kind=kind, municipality=catalog.municipality.id)
    return SearchResponse(
        query=q,
        results=[SearchHit(**hit.to_api(), url=_page_url(request, hit.id, catalog)) for hit in found.hits],
        suggestion=found.suggestion,
        total=found.total,
        facets=SearchFacets(domain=found.facets["domain"], kind=found.facets["kind"]),
    )


ROUTES = [search]
