"""Safe YAML loading with a source map (key path -> line:column).

We compose the YAML into nodes with ruamel and convert them ourselves, so no
YAML constructor ever runs: tags such as ``!!python/object`` are rejected,
anchors and aliases (the "billion laughs" bomb) are refused, duplicate keys are
reported with their position, and every value keeps its line and column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Diagnostic
from .yamlerrors import yaml_error_diagnostic

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000
MAX_DEPTH = 60

Path_ = tuple  # a key path such as ("voorwaarden", "alle", 0, "vraag")

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a YAML document stands."""

    path: str
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)  # the text of numbers, dates and booleans, as typed
    styles: dict[Path_, str | None] = field(default_factory=dict)  # how each text value is written (quotes, block)

    def position(self, key_path: Path_, *, prefer_key: bool = False) -> tuple[int, int]:
        """Return (line, column), 1-based, of the nearest known place on the path."""
        key_path = tuple(key_path)
        while True:
            if prefer_key and key_path in self.keys:
                return self.keys[key_path]
            if key_path in self.values:
                return self.values[key_path]
            if key_path in self.keys:
                return self.keys[key_path]
            if not key_path:
                return (1, 1)
            key_path = key_path[:-1]

    def position_in(self, key_path: Path_, offset: int) -> tuple[int, int]:
        """(line, column) of the character at ``offset`` inside a one-line text value (a formula)."""
        key_path = tuple(key_path)
        line, column = self.position(key_path)
        style = self.styles.get(key_path, "|")
        if key_path not in self.values or style not in (None, "", "'", '"'):
            return line, column  # a block scalar (| or >): its lines do not start at the key
        return line, column + offset + (1 if style in ("'", '"') else 0)

    def diagnostic(self, key_path: Path_, code: str, message: str, hint: str = "", *,
                   prefer_key: bool = False, severity: str = "error") -> Diagnostic:
        line, column = self.position(key_path, prefer_key=prefer_key)
        return Diagnostic(self.path, line, column, code, message, hint, severity)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Layer:
    """Values another file wrote into a merged document: ``ours`` is where they sit in the merged document,
    ``theirs`` where they are written in ``source`` (a municipality's ``gemeente.yaml``)."""

    source: SourceMap
    ours: Path_
    theirs: Path_


class LayeredSource:
    """Where each value of a merged document (a base file plus what overlays changed) was written.

    It answers like a ``SourceMap``: a diagnostic about a value lands in the file and at the line where that
    value was written, so an editor who made a mistake in an overlay is sent to the overlay, not the base.
    """

    def __init__(self, base: SourceMap, layers: list[Layer]):
        self.base = base
        self.layers = layers
        self.path = base.path
        self.raw = _Routed(self, "raw")
        self.styles = _Routed(self, "styles")

    def owner(self, key_path: Path_) -> tuple[SourceMap, Path_]:
        """The file that wrote the value at ``key_path`` (the deepest known place wins; an overlay on a tie)."""
        key_path = tuple(key_path)
        best = (_known_depth(self.base, key_path, 0), self.base, key_path)
        for layer in self.layers:
            size = len(layer.ours)
            if key_path[:size] != layer.ours:
                continue
            theirs = layer.theirs + key_path[size:]
            # Only what the layer wrote inside its own block counts: the block itself is not a value here.
            depth = _known_depth(layer.source, theirs, len(layer.theirs) + 1)
            if depth and depth - len(layer.theirs) + size >= best[0]:
                best = (depth - len(layer.theirs) + size, layer.source, theirs)
        return best[1], best[2]

    def locate(self, key_path: Path_, *, prefer_key: bool = False) -> tuple[str, int, int]:
        source, path = self.owner(key_path)
        return (source.path, *source.position(path, prefer_key=prefer_key))

    def position(self, key_path: Path_, *, prefer_key: bool = False) -> tuple[int, int]:
        source, path = self.owner(key_path)
        return source.position(path, prefer_key=prefer_key)

    def position_in(self, key_path: Path_, offset: int) -> tuple[int, int]:
        source, path = self.owner(key_path)
        return source.position_in(path, offset)

    def diagnostic(self, key_path: Path_, code: str, message: str, hint: str = "", *,
                   prefer_key: bool = False, severity: str = "error") -> Diagnostic:
        source, path = self.owner(key_path)
        return source.diagnostic(path, code, message, hint, prefer_key=prefer_key, severity=severity)


def _known_depth(source: SourceMap, key_path: Path_, at_least: int) -> int:
    """How much of ``key_path`` the file has a value or key for (0: nothing of at least ``at_least`` steps)."""
    path = tuple(key_path)
    while len(path) >= max(at_least, 1):
        if path in source.values or path in source.keys:
            return len(path)
        path = path[:-1]
    return 0


class _Routed:
    """``raw`` or ``styles`` of a layered document: each lookup goes to the file that wrote the value."""

    def __init__(self, layered: LayeredSource, name: str):
        self.layered, self.name = layered, name

    def get(self, key_path: Path_, default: Any = None) -> Any:
        source, path = self.layered.owner(key_path)
        return getattr(source, self.name).get(tuple(path), default)


def locate(source: Any, key_path: Path_, *, prefer_key: bool = False) -> tuple[str, int, int]:
    """(file, line, column) of a value, for a plain or a layered source map."""
    if isinstance(source, LayeredSource):
        return source.locate(key_path, prefer_key=prefer_key)
    return (source.path, *source.position(key_path, prefer_key=prefer_key))


@dataclass
class Loaded:
    """A parsed YAML document, or the diagnostics that kept it from parsing."""

    data: Any
    source: SourceMap
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)


def load_yaml_file(file: Path, display_path: str | None = None) -> Loaded:
    """Load one YAML file safely; never raises for bad content."""
    shown = display_path or str(file)
    source = SourceMap(shown)
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            return Loaded(None, source, [Diagnostic(shown, 1, 1, "E120",
                f"bestand is te groot ({size:,} bytes, hoogstens {MAX_FILE_BYTES:,})".replace(",", "."),
                "splits de inhoud of haal per ongeluk geplakte tekst weg")])
        raw = file.read_bytes()
    except OSError as exc:
        return Loaded(None, source, [Diagnostic(shown, 1, 1, "E100", f"bestand kan niet worden gelezen: {exc.strerror}")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Loaded(None, source, [Diagnostic(shown, 1, 1, "E100",
            f"bestand is geen geldige UTF-8-tekst (byte {exc.start})", "sla het bestand op als UTF-8")])
    return load_yaml_text(text, shown)


def load_yaml_text(text: str, display_path: str) -> Loaded:
    """Parse YAML text into plain Python values plus a source map.

    Parsing is slow in pure Python, and a reload usually changes one file of
    many, so results are cached by (text, path). Callers must not mutate them.
    """
    return _load_yaml_text_cached(text, display_path)


@lru_cache(maxsize=1024)
def _load_yaml_text_cached(text: str, display_path: str) -> Loaded:
    source = SourceMap(display_path)
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return Loaded(None, source, [Diagnostic(display_path, 1, 1, "E111", "bestand is leeg",
                                                "vul het bestand of verwijder het")])
    too_deep = _flow_too_deep(text)
    if too_deep is not None:
        # ruamel needs seconds before it gives up on thousands of nested brackets: refuse them first.
        return Loaded(None, source, [Diagnostic(display_path, *too_deep, "E120",
                                                f"bestand is dieper genest dan {MAX_DEPTH} niveaus",
                                                "houd de inhoud eenvoudig")])
    yaml = YAML(typ="rt")
    try:
        node = yaml.compose(text)
    except MarkedYAMLError as exc:
        return Loaded(None, source, [yaml_error_diagnostic(exc, text, display_path)])
    except (YAMLError, RecursionError, ValueError):
        return Loaded(None, source, [Diagnostic(display_path, 1, 1, "E100", "YAML-fout: het bestand is onleesbaar",
                                                "open het in een teksteditor en controleer of het gewone YAML is")])
    converter = _Converter(source)
    try:
        data = converter.convert(node, ())
    except _TooBig as exc:
        return Loaded(None, source, [Diagnostic(display_path, exc.line, exc.column, "E120", exc.message,
                                                "houd de inhoud eenvoudig")])
    return Loaded(data, source, converter.diagnostics)


def _flow_too_deep(text: str) -> tuple[int, int] | None:
    """(line, column) where brackets nest deeper than MAX_DEPTH; quotes are ignored, so this over-counts."""
    depth = 0
    line, column = 1, 0
    for char in text:
        column += 1
        if char == "\n":
            line, column = line + 1, 0
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, column
        elif char in "]}" and depth:
            depth -= 1
    return None


class _TooBig(Exception):
    def __init__(self, line: int, column: int, message: str):
        self.line, self.column, self.message = line, column, message


class _Converter:
    """Turn composed nodes into dicts, lists and scalars, recording positions."""

    def __init__(self, source: SourceMap):
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self.count = 0
        self.seen: set[int] = set()

    def _pos(self, node: Node) -> tuple[int, int]:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def _fail(self, node: Node, code: str, message: str, hint: str = "") -> None:
        line, col = self._pos(node)
        self.diagnostics.append(Diagnostic(self.source.path, line, col, code, message, hint))

    def convert(self, node: Node, path: Path_, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooBig(*self._pos(node), f"bestand heeft meer dan {MAX_NODES} waarden")
        if depth > MAX_DEPTH:
            raise _TooBig(*self._pos(node), f"bestand is dieper genest dan {MAX_DEPTH} niveaus")
        if id(node) in self.seen or getattr(node, "anchor", None):
            # An anchor or an alias: refusing both makes alias bombs impossible.
            self._fail(node, "E121", "ankers (&) en verwijzingen (*) zijn niet toegestaan",
                       "schrijf de waarde voluit")
            return None
        self.seen.add(id(node))
        if not (isinstance(node, ScalarNode) and node.value == "" and not node.style):
            # An empty value ("titel:") has no place of its own (ruamel puts it at the next token):
            # leaving it out makes a diagnostic point at the key instead of the line below.
            self.source.values[path] = self._pos(node)
        if node.tag not in _PLAIN_TAGS:
            self._fail(node, "E120", f"YAML-tag '{node.tag.replace(_TAG, '!!')}' is niet toegestaan",
                       "gebruik gewone tekst, getallen, lijsten en blokken")
            return None
        if isinstance(node, MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode) or key_node.tag in (_TAG + "map", _TAG + "seq"):
                    self._fail(key_node, "E104", "een sleutel moet een gewone naam zijn")
                    continue
                key = key_node.value
                if key == "<<" or key_node.tag == _TAG + "merge":
                    self._fail(key_node, "E121", "samenvoegen met '<<' is niet toegestaan", "schrijf de velden voluit")
                    continue
                if key in result:
                    first = self.source.keys.get(path + (key,), (0, 0))
                    self._fail(key_node, "E101", f"dubbele sleutel '{key}'",
                               f"'{key}' staat al op regel {first[0]}; laat er één over")
                    continue
                self.source.keys[path + (key,)] = self._pos(key_node)
                result[key] = self.convert(value_node, path + (key,), depth + 1)
            return result
        if isinstance(node, SequenceNode):
            return [self.convert(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        if node.tag != _TAG + "str":
            self.source.raw[path] = node.value  # "0201234567" before it became the number 201234567
        self.source.styles[path] = node.style
        return self._scalar(node)

    def _scalar(self, node: ScalarNode) -> Any:
        value, tag = node.value, node.tag
        try:
            if tag == _TAG + "str":
                # ruamel's round-trip scanner marks the folds of a '>' block with '\a'; drop the markers.
                return value.replace("\a", "") if node.style == ">" else value
            if tag == _TAG + "null":
                return None
            if tag == _TAG + "bool":
                return value.lower() == "true"
            if tag == _TAG + "int":
                return int(value.replace("_", ""), 0) if value[:2].lower() in ("0x", "0o", "0b") else int(value.replace("_", ""))
            if tag == _TAG + "float":
                return float(value.replace("_", ""))
            if tag == _TAG + "timestamp":
                if len(value) == 10:
                    return dt.date.fromisoformat(value)
                return dt.datetime.fromisoformat(value.replace(" ", "T").replace("Z", "+00:00"))
        except ValueError:
            if tag == _TAG + "timestamp":
                self._fail(node, "E104", f"datum '{value}' bestaat niet",
                           "schrijf JJJJ-MM-DD, met een maand van 01 tot 12 en een dag die in die maand bestaat")
            else:
                self._fail(node, "E104", f"getal '{value}' is ongeldig",
                           f'schrijf alleen cijfers, of zet tekst tussen aanhalingstekens: "{value}"')
            return None
        return value
