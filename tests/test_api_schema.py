"""Schemathesis fuzzes the JSON API from its own OpenAPI document: every answer fits the document."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from litestar.testing import TestClient

from catalogus.web.app import create_app
from tests.conftest import make_web_settings

# Schemathesis needs the app when the tests are collected; its data directory lives as long as the run.
_DATA = tempfile.TemporaryDirectory(prefix="catalogus-schema-")
_APP = create_app(make_web_settings(Path(_DATA.name)))
with TestClient(_APP):  # runs start-up, which writes the question vocabulary into the document
    pass
schema = schemathesis.openapi.from_asgi("/schema/openapi.json", _APP).include(path_regex=r"^/api/v1/(check|products)")


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_as_its_openapi_document_says(case):
    case.call_and_validate()
