"""Schemathesis fuzzes the JSON API from its own OpenAPI document: every answer fits the document.

Every operation in the document is fuzzed (``/api/v1/*`` and ``/health``), with valid and
invalid input (schemathesis' examples, coverage and fuzzing phases) and every check
schemathesis has: no 5xx, only documented status codes and content types, bodies valid
against the schemas, invalid input refused, valid input accepted. The example count is
kept small here; ``bench/bench_schemathesis.py`` runs 2,000 per operation against a real server.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from litestar.testing import TestClient

from catalogus.web.app import create_app
from tests.conftest import make_web_settings

EXAMPLES = 100  # per operation, on top of schemathesis' coverage phase

# Schemathesis needs the app when the tests are collected; its data directory lives as long as the run.
_DATA = tempfile.TemporaryDirectory(prefix="catalogus-schema-")
_APP = create_app(make_web_settings(Path(_DATA.name)))
with TestClient(_APP) as _client:  # runs start-up, which writes the question vocabulary into the document
    _DOCUMENT = _client.get("/schema/openapi.json").json()
schema = schemathesis.openapi.from_asgi("/schema/openapi.json", _APP)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_openapi_document_says(case):
    case.call_and_validate()


def test_every_json_operation_of_the_server_is_in_the_document_and_so_is_fuzzed():
    served = {(method, re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path))
              for route in _APP.routes if route.path.startswith("/api/") or route.path == "/health"
              for method in route.methods - {"OPTIONS", "HEAD"}}
    documented = {(method.upper(), path) for path, item in _DOCUMENT["paths"].items() for method in item}
    assert served == documented
    assert {"/api/v1/products", "/api/v1/products/{product_id}", "/api/v1/check", "/api/v1/search",
            "/health"} <= {path for _, path in documented}


def test_the_search_query_is_documented_as_required_words():
    parameters = {p["name"]: p for p in _DOCUMENT["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert parameters["q"]["required"] is True
    assert parameters["q"]["schema"]["type"] == "string"
    assert parameters["q"]["schema"]["description"] == "wat de inwoner typte (gewone woorden)"


def test_the_documented_search_pattern_refuses_exactly_what_the_handler_calls_blank():
    import jsonschema

    schema_of_q = {p["name"]: p for p in _DOCUMENT["paths"]["/api/v1/search"]["get"]["parameters"]}["q"]["schema"]
    with TestClient(_APP) as client:
        for text in ["\x85", "\x1c", "\u3000", " \t\n", "\u2028", "\ufeff", "\u200b", "a", " huur "]:
            documented_valid = jsonschema.Draft202012Validator(schema_of_q).is_valid(text)
            status = client.get("/api/v1/search", params={"q": text}).status_code
            assert (status == 200) is documented_valid, (repr(text), status)
        assert client.get("/api/v1/search?q=%C2%85").status_code == 422
        assert client.get("/api/v1/search?q=%1C").status_code == 422
