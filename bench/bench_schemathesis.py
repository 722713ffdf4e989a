"""A long fuzzing campaign: Schemathesis against a real server, and the form properties with many examples.

Run: .venv/bin/python bench/bench_schemathesis.py [--examples 2000] [--form-examples 1000] [--seed 1] [--write]

1. ``catalogus serve`` (as ``make run`` starts it, on a fresh data directory) and
   ``st run`` on its own ``/schema/openapi.json``: every operation (``/api/v1/*`` and
   ``/health``), phases examples, coverage and fuzzing, every check schemathesis has
   (no 5xx, documented status codes, content types and headers, bodies valid against the
   schema, invalid input refused, valid input accepted), ``--examples`` per operation.
2. ``tests/test_fuzz_forms.py`` with ``CATALOGUS_FUZZ_EXAMPLES=--form-examples``: random
   answer sets and form fields against the check API, the wizard, the KCC screen, the
   referral form, login and search.

``make test`` runs both with small counts. ``--write`` puts the result in the section
"Fuzzing" of docs/performance.md. Exit code 1 when anything failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.report import write_section  # noqa: E402
from tests.support.servers import Server, server_env  # noqa: E402

TITLE = "Fuzzing"
ST = Path(sys.executable).with_name("st")


def run_schemathesis(examples: int, seed: int) -> dict:
    """One ``st run`` against a fresh real server; returns the JSON report plus the wall time."""
    with tempfile.TemporaryDirectory(prefix="catalogus-fuzz-") as data:
        data_dir = Path(data)
        with Server(server_env(data_dir, CATALOGUS_RATE_LIMIT_PER_MINUTE="1000000"),
                    log_path=data_dir / "server.log") as server:
            report = data_dir / "report.json"
            command = [str(ST), "run", f"{server.url}/schema/openapi.json", "--checks", "all",
                       "--phases", "examples,coverage,fuzzing", "--max-examples", str(examples),
                       "--seed", str(seed), "--workers", "2", "--no-color", "--report", "json",
                       "--report-json-path", str(report)]
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            seconds = time.perf_counter() - started
            if not report.exists():
                raise SystemExit(f"schemathesis wrote no report:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
            result = json.loads(report.read_text(encoding="utf-8"))
            log = (data_dir / "server.log").read_text(encoding="utf-8", errors="replace")
        result["wall_seconds"] = seconds
        result["output"] = done.stdout
        result["server_errors"] = sum(1 for line in log.splitlines() if '"level":"error"' in line)
    return result


def run_form_properties(examples: int) -> dict:
    """The hypothesis properties of tests/test_fuzz_forms.py with many examples each."""
    env = {**os.environ, "CATALOGUS_FUZZ_EXAMPLES": str(examples)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:warnings", "-p", "no:cacheprovider",
                           "tests/test_fuzz_forms.py"], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-500:]
    passed = int(m.group(1)) if (m := re.search(r"(\d+) passed", summary)) else 0
    failed = int(m.group(1)) if (m := re.search(r"(\d+) failed", summary)) else 0
    return {"passed": passed, "failed": failed, "ok": done.returncode == 0, "seconds": seconds, "summary": summary}


def report_text(st: dict, forms: dict | None, examples: int, form_examples: int, seed: int) -> str:
    operations = st["operations"]
    cases = st["test_cases"]
    rows = ["| operatie | geldige verzoeken, goed beantwoord (coverage) | idem (fuzzing) |",
            "|---|---|---|"]
    for name, phases in sorted(st.get("valid_rates", {}).items()):
        cov, fuzz = phases.get("coverage", {}), phases.get("fuzzing", {})
        rows.append(f"| `{name}` | {cov.get('accepted', 0)} | {fuzz.get('accepted', 0)} |")
    lines = [
        f"`bench/bench_schemathesis.py`, {dt.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; `catalogus serve` (1 worker, SQLite) op 127.0.0.1, "
        f"Schemathesis {st['schemathesis_version']} met 2 workers.",
        "",
        f"- Schemathesis op het eigen OpenAPI-document: {operations['tested']} van {operations['total']} operaties, "
        f"fasen examples, coverage en fuzzing, alle checks, hoogstens {examples} voorbeelden per operatie, "
        f"seed {seed}: **{cases['generated']} testgevallen, {cases['unique_failures']} fouten, "
        f"{cases['errored']} crashes**, {st['server_errors']} foutregels in het serverlog; "
        f"{st['wall_seconds']:.0f} s.",
    ]
    if forms is not None:
        lines.append(f"- Eigenschappen van `tests/test_fuzz_forms.py` (check-API, wizard, KCC-scherm, aanmelden, "
                     f"inloggen, zoeken) met {form_examples} voorbeelden per eigenschap: **{forms['passed']} "
                     f"geslaagd, {forms['failed']} mislukt**; {forms['seconds']:.0f} s.")
    lines += ["", *rows, "",
              "Goed beantwoord: 2xx, of een gedocumenteerde 404 voor een onbekend product-id. Ongeldige "
              "verzoeken (de rest van de testgevallen) kregen elk een 4xx met een JSON-fout. `make test` draait "
              "dezelfde tests met weinig voorbeelden (`tests/test_api_schema.py`, `tests/test_fuzz_forms.py`). "
              "Opnieuw meten: `.venv/bin/python bench/bench_schemathesis.py --write` "
              "(langer: `--examples 5000 --form-examples 3000`)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="schemathesis examples per operation")
    parser.add_argument("--form-examples", type=int, default=1000, help="hypothesis examples per form property "
                                                                          "(0: skip)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="write the result into docs/performance.md")
    args = parser.parse_args()
    st = run_schemathesis(args.examples, args.seed)
    forms = run_form_properties(args.form_examples) if args.form_examples else None
    text = report_text(st, forms, args.examples, args.form_examples, args.seed)
    print(text)
    failed = st["test_cases"]["unique_failures"] or st["test_cases"]["errored"] or st["server_errors"] or \
        (forms is not None and not forms["ok"])
    if failed:
        print(st["output"][-6000:])
        if forms is not None:
            print(forms["summary"])
    if args.write:
        write_section(ROOT / "docs" / "performance.md", TITLE, text)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
