"""What an operator reads in the log: filled-in library messages, JSON for machines, lines for people."""

from __future__ import annotations

import io
import json
import logging
import os

import pytest

from catalogus.logs import configure_logging, get_logger

UVICORN_RUNNING = "Uvicorn running on %s://%s:%d (Press CTRL+C to quit)"


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


def lines(stream: io.StringIO) -> list[str]:
    return [line for line in stream.getvalue().splitlines() if line]


def test_uvicorn_says_where_it_runs_with_its_placeholders_filled(restore_logging):
    stream = io.StringIO()
    configure_logging("INFO", stream)
    logging.getLogger("uvicorn.error").info(UVICORN_RUNNING, "http", "127.0.0.1", 8000)
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 4242)
    logging.getLogger("uvicorn.error").info("Started parent process [4241]")
    events = [json.loads(line) for line in lines(stream)]
    assert [e["message"] for e in events] == ["Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)",
                                             "Started server process [4242]", "Started parent process [4241]"]
    assert "%" not in stream.getvalue()


def test_library_messages_with_unexpected_arguments_or_text_stay_out(restore_logging):
    stream = io.StringIO()
    configure_logging("INFO", stream)
    error = logging.getLogger("uvicorn.error")
    error.info(UVICORN_RUNNING, "http", "jan@example.nl/<x>", 8000)  # not a host: only the template
    error.warning("Invalid HTTP request received: %s", "/zoeken?q=Jan Jansen")  # unknown message: nothing
    error.info("Started parent process [Jan Jansen]")  # a known text with something else than a number
    events = [json.loads(line) for line in lines(stream)]
    assert events[0]["message"] == UVICORN_RUNNING
    assert "message" not in events[1] and "message" not in events[2]
    assert "Jan" not in stream.getvalue() and "example.nl" not in stream.getvalue()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_person_at_a_terminal_reads_lines_a_pipe_gets_json(restore_logging):
    watched = Terminal()
    configure_logging("INFO", watched)
    get_logger("catalogus.cli").info("server_starting", listen="http://127.0.0.1:8000/", secure_cookies=True,
                                     name="Jan Jansen")
    logging.getLogger("uvicorn.error").info(UVICORN_RUNNING, "http", "127.0.0.1", 8000)
    first, second = lines(watched)
    assert not first.startswith("{")
    assert "info" in first and "server_starting" in first and "listen=http://127.0.0.1:8000/" in first
    assert "secure_cookies=true" in first and "dropped=1" in first and "Jan" not in first
    assert second.endswith("uvicorn.error: Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)")

    piped = io.StringIO()
    configure_logging("INFO", piped)
    get_logger("catalogus.cli").info("server_starting", port=8000)
    assert json.loads(lines(piped)[0])["port"] == 8000


def test_the_console_format_also_follows_a_real_terminal(restore_logging):
    leader, follower = os.openpty()
    with open(follower, "w", closefd=True) as terminal:
        configure_logging("INFO", terminal)
        get_logger("catalogus.cli").info("server_starting", port=8000)
        terminal.flush()
        written = os.read(leader, 4096).decode()
    os.close(leader)
    assert "server_starting  port=8000" in written and "{" not in written
