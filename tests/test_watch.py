"""Live reload: a change is served at once, a broken change never is, and readers never see a mix."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import shutil
import threading
import time
from pathlib import Path

import pytest

from tests.support.threads import run_async

from catalogus.content import ContentState
from catalogus.watch import content_filter, health_info, reload_now, start_watcher

BASE = Path(__file__).parent / "content" / "base"
TODAY = dt.date(2026, 11, 26)



@pytest.fixture
def root(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(BASE, target)
    return target


@pytest.fixture
def state(root: Path) -> ContentState:
    state = ContentState(root, today=lambda: TODAY, build_index=lambda catalog: {"version": catalog.version})
    state.load()
    return state


def set_title(root: Path, title: str, product: str = "minimapas") -> None:
    file = root / "products" / f"{product}.yaml"
    text = (root / "products" / "minimapas.yaml").read_text(encoding="utf-8")
    # Whatever the title is now: a second call must change it again (the reload test writes many versions).
    file.write_text(re.sub(r"^titel: .*$", f"titel: {title}", text, count=1, flags=re.MULTILINE), encoding="utf-8")


def title(state: ContentState, product: str = "minimapas") -> str:
    return state.current.catalog.products[product].title


def test_a_changed_product_is_served_after_a_reload(root, state):
    old_version = state.current.version
    set_title(root, "Minimapas nieuw")
    report = state.reload()
    assert report.ok
    assert title(state) == "Minimapas nieuw"
    assert state.current.version != old_version
    assert state.current.search == {"version": state.current.version}
    assert state.last_error is None


def test_a_broken_product_keeps_the_last_good_version_and_records_the_error(root, state):
    good = state.current
    (root / "products" / "minimapas.yaml").write_text("titel: Minimapas\nsoort: voorziening\n", encoding="utf-8")
    report = state.reload()
    assert not report.ok
    assert state.current is good
    assert title(state) == "Minimapas"
    assert state.last_error is report
    assert any(d.path == "products/minimapas.yaml" and d.code == "E104" for d in report.diagnostics)


def test_health_reports_the_version_and_the_last_reload_error(root, state):
    assert health_info(state)["status"] == "ok"
    assert health_info(state)["version"] == state.current.version
    assert health_info(state)["last_error"] is None
    (root / "products" / "minimapas.yaml").write_text("titel: [", encoding="utf-8")
    state.reload()
    info = health_info(state)
    assert info["status"] == "degraded"
    assert info["version"] == state.current.version  # still the last good version
    assert info["last_error"]["codes"] == ["E100"] and "diagnostics" not in info["last_error"]
    detailed = health_info(state, with_diagnostics=True)["last_error"]["diagnostics"]
    assert detailed[0]["path"] == "products/minimapas.yaml" and detailed[0]["line"] == 1


def test_health_before_the_first_load_says_starting(root):
    assert health_info(ContentState(root))["status"] == "starting"


def test_fixing_the_file_clears_the_error(root, state):
    original = (root / "products" / "minimapas.yaml").read_text(encoding="utf-8")
    (root / "products" / "minimapas.yaml").write_text("titel: [", encoding="utf-8")
    assert not state.reload().ok
    (root / "products" / "minimapas.yaml").write_text(original.replace("Minimapas", "Minimapas 2", 1),
                                                      encoding="utf-8")
    assert state.reload().ok
    assert state.last_error is None
    assert title(state) == "Minimapas 2"


def _alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, previous in zip("bcdefghij", "abcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


HOSTILE = {
    "half-written": (lambda text: text[: len(text) // 2] + "  - {vraag: leeft", {"E100", "E103", "E104"}),
    "truncated mid-key": (lambda text: text[: text.index("voorwaarden:") + 5], {"E100", "E103", "E104"}),
    "empty": (lambda text: "", {"E111"}),
    "only a comment": (lambda text: "# bezig met schrijven\n", {"E111"}),
    "python object tag": (lambda text: "titel: !!python/object/apply:os.system ['echo hacked']\n", {"E120"}),
    "alias bomb": (lambda text: _alias_bomb(), {"E121"}),
    "ten megabytes": (lambda text: text + "# " + "x" * 10_000_000 + "\n", {"E120"}),
    "deep nesting": (lambda text: "a: " + "[" * 5000 + "]" * 5000 + "\n", {"E100", "E120"}),
    "not utf-8": (lambda text: "titel: caf\xe9\n", {"E100"}),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_or_half_written_files_give_diagnostics_quickly_and_the_old_version_stays(root, state, case):
    damage, codes = HOSTILE[case]
    file = root / "products" / "minimapas.yaml"
    text = file.read_text(encoding="utf-8")
    damaged = damage(text)
    if case == "not utf-8":
        file.write_bytes(damaged.encode("latin-1"))
    else:
        file.write_text(damaged, encoding="utf-8")
    good = state.current
    started = time.monotonic()
    report = state.reload()
    elapsed = time.monotonic() - started
    assert not report.ok
    assert state.current is good
    found = {d.code for d in report.diagnostics if d.path == "products/minimapas.yaml"}
    assert found & codes, f"{case}: {sorted(found)}"
    assert elapsed < 1.0, f"{case} took {elapsed:.2f}s"


def test_a_file_that_disappears_while_loading_is_a_diagnostic_not_a_crash(root, state, monkeypatch):
    import catalogus.yamlio as yamlio

    real = yamlio.Path.read_bytes

    def vanish(self):
        if self.name == "minimapas.yaml":
            raise FileNotFoundError(2, "No such file or directory")
        return real(self)

    monkeypatch.setattr(yamlio.Path, "read_bytes", vanish)
    report = state.reload()
    assert not report.ok
    assert any(d.code == "E100" for d in report.diagnostics)
    assert title(state) == "Minimapas"


def test_an_unexpected_loader_failure_is_recorded_and_the_old_version_stays(root, state, monkeypatch):
    import catalogus.content as content

    def explode(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(content, "load_region", explode)
    report = state.reload()
    assert not report.ok
    assert report.diagnostics and report.diagnostics[0].code == "E000"
    assert title(state) == "Minimapas"


def test_readers_never_see_a_mix_of_two_versions_during_reloads(root, state):
    """Two products and the index must always belong to the same version in one snapshot."""
    (root / "products" / "tweede.yaml").write_text(
        (root / "products" / "minimapas.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    state.reload()
    problems: list[str] = []
    seen: set[str] = set()
    stop = threading.Event()

    def reader():
        # At least 200 reads, and on until several versions went by: a reload takes longer on a busy
        # machine (make test runs a worker per core), and the test needs readers during several swaps.
        reads, deadline = 0, time.monotonic() + 60
        while (reads < 200 or len(seen) < 3) and time.monotonic() < deadline:
            reads += 1
            try:
                snapshot = state.current
                first = snapshot.catalog.products["minimapas"].title
                second = snapshot.catalog.products["tweede"].title
                if first != second or snapshot.search["version"] != snapshot.catalog.version:
                    problems.append(f"{first} / {second}")
                seen.add(first)
            except Exception as exc:  # noqa: BLE001 - any error is a failure of the guarantee
                problems.append(repr(exc))
            time.sleep(0.001)

    def writer():
        version = 0
        while not stop.is_set():
            version += 1
            set_title(root, f"Versie {version}", "minimapas")
            set_title(root, f"Versie {version}", "tweede")
            state.reload()

    threads = [threading.Thread(target=reader) for _ in range(8)]
    writing = threading.Thread(target=writer)
    writing.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    writing.join()
    assert problems == []
    assert len(seen) > 1, "the readers should have seen several versions"


def test_the_watcher_only_reacts_to_yaml_content_files():
    from watchfiles import Change

    assert content_filter(Change.modified, "/x/products/minimapas.yaml")
    assert not content_filter(Change.modified, "/x/products/.minimapas.yaml.swp")
    assert not content_filter(Change.modified, "/x/products/minimapas.yaml~")
    assert not content_filter(Change.added, "/x/products/.minimapas.yaml.fmt-tmp")


def test_reload_now_skips_work_when_nothing_changed_and_logs_diagnostic_codes(root, state, caplog):
    assert run_async(reload_now(state)) is None  # same files as the served version
    (root / "products" / "minimapas.yaml").write_text("titel: Minimapas\ntitel: dubbel\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="catalogus.content"):
        report = run_async(reload_now(state))
    assert report is not None and not report.ok
    events = [(r.getMessage(), getattr(r, "catalogus_fields", {})) for r in caplog.records]
    assert ("content_reload_failed" in [e for e, _ in events])
    codes = [fields.get("code") for event, fields in events if event == "content_diagnostic"]
    assert "E101" in codes


def test_the_running_watcher_serves_a_change_and_keeps_the_old_version_when_broken(root, state):
    async def scenario():
        watcher = await start_watcher(state, debounce_ms=50)
        try:
            await asyncio.sleep(0.5)  # let the file watcher start
            set_title(root, "Minimapas live")
            await _until(lambda: title(state) == "Minimapas live")
            (root / "products" / "minimapas.yaml").write_text("titel: [kapot", encoding="utf-8")
            await _until(lambda: state.last_error is not None)
            assert title(state) == "Minimapas live"
            assert any(d.code == "E100" for d in state.last_error.diagnostics)
        finally:
            await watcher.stop()
        assert watcher.task.done()

    run_async(scenario())


async def _until(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the watcher did not reload in time")
        await asyncio.sleep(0.05)


def test_a_change_in_one_municipalitys_overlay_is_a_new_version_and_is_served(tmp_path):
    from catalogus.watch import watched_dirs
    from tests.support.content_copy import copy_content

    region_root = copy_content(tmp_path / "regio")
    assert region_root / "gemeenten" in watched_dirs(region_root)
    state = ContentState(region_root, today=lambda: TODAY, build_index=lambda catalog: {})
    state.load()
    before = state.current.version
    overlay = region_root / "gemeenten" / "buurdorp" / "gemeente.yaml"
    overlay.write_text(overlay.read_text(encoding="utf-8").replace('"0299 123 456"', '"0299 777 888"'),
                       encoding="utf-8")
    report = run_async(reload_now(state))
    assert report is not None and report.ok
    assert state.current.version != before
    assert state.current.catalog_of("buurdorp").routing.team.telefoon == "0299 777 888"
