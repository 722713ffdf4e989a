"""The examples in the core's docstrings are true."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["catalogus.errors", "catalogus.questions", "catalogus.norms", "catalogus.yamlio", "catalogus.rules",
           "catalogus.words", "catalogus.fielderrors", "catalogus.datadir", "catalogus.settings",
           "catalogus.web.search_api", "catalogus.web.origins", "catalogus.web.csrf", "catalogus.wording",
           "catalogus.messages"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    failures, _tried = doctest.testmod(importlib.import_module(name))
    assert failures == 0
