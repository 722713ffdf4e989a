"""The data directory: private to the server's user (0700), with private files (0600).

It holds the SQLite database (and its ``-wal``/``-shm``), the secret key, the data
key ring and the search index: readable by another local user, they would give away
phone numbers, incomes and TOTP secrets. New files are made under a 0077 umask and
chmod-ed afterwards; ``check_data_dir`` refuses to go on when the directory or one of
the sensitive files is more open than that, and says in Dutch which path and how to fix it.
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from .errors import StartupError

if TYPE_CHECKING:
    from .settings import Settings

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
PRIVATE_UMASK = 0o077
#: files in the data directory that must never be readable by anyone but the server's user
SENSITIVE_FILES = ("catalogus.sqlite3", "catalogus.sqlite3-wal", "catalogus.sqlite3-shm", "catalogus.sqlite3-journal",
                   "secret_key", "data_keys.json")


@contextmanager
def private_umask() -> Iterator[None]:
    """Create files and directories readable by their owner only while the block runs."""
    old = os.umask(PRIVATE_UMASK)
    try:
        yield
    finally:
        os.umask(old)


def make_private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700; an existing directory is left as it is (see ``check``)."""
    path = Path(path)
    if not path.exists():
        with private_umask():
            path.mkdir(parents=True, exist_ok=True)
        path.chmod(PRIVATE_DIR)
    return path


def make_private(path: Path) -> None:
    """chmod 0600 for a file, 0700 for a directory (quietly: it may have gone already)."""
    try:
        Path(path).chmod(PRIVATE_DIR if Path(path).is_dir() else PRIVATE_FILE)
    except FileNotFoundError:
        pass


def make_tree_private(root: Path) -> None:
    """``make_private`` for a directory and everything under it (the search index)."""
    make_private(root)
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            make_private(Path(folder) / name)


def too_open(path: Path) -> bool:
    """True when group or others may do anything with ``path``.

    >>> import tempfile; folder = Path(tempfile.mkdtemp()); folder.chmod(0o755); too_open(folder)
    True
    """
    return bool(stat.S_IMODE(Path(path).stat().st_mode) & 0o077)


def open_paths(data_dir: Path) -> list[Path]:
    """The data directory and the sensitive files in it that group or others can read or enter."""
    data_dir = Path(data_dir)
    found = [data_dir] if data_dir.is_dir() and too_open(data_dir) else []
    for name in SENSITIVE_FILES:
        path = data_dir / name
        if path.exists() and too_open(path):
            found.append(path)
    return found


def check_data_dir(data_dir: Path) -> Path:
    """Make sure the data directory exists, is private and writable; raise ``StartupError`` (Dutch) when not."""
    data_dir = Path(data_dir)
    try:
        make_private_dir(data_dir)
    except OSError as exc:
        raise StartupError(f"De gegevensmap {data_dir} kan niet worden gemaakt ({exc.strerror or exc}). Maak de map "
                           f"zelf aan (mkdir -m 700 {data_dir}) of kies een andere met CATALOGUS_DATA_DIR.",
                           "data_dir_not_creatable") from exc
    if not data_dir.is_dir():
        raise StartupError(f"De gegevensmap {data_dir} is geen map. Kies een map met CATALOGUS_DATA_DIR.",
                           "data_dir_not_a_directory")
    problems = open_paths(data_dir)
    if problems:
        fixes = " && ".join(f"chmod {'700' if p.is_dir() else '600'} {p}" for p in problems)
        raise StartupError("Andere gebruikers van deze computer kunnen in de gegevens kijken: "
                           + ", ".join(str(p) for p in problems) + f" staat te open. Maak het privé met: {fixes}",
                           "data_dir_too_open")
    try:
        with private_umask(), tempfile.NamedTemporaryFile(dir=data_dir, prefix=".schrijftest-"):
            pass
    except OSError as exc:
        raise StartupError(f"De server kan niet schrijven in de gegevensmap {data_dir} ({exc.strerror or exc}). "
                           f"Geef de gebruiker van de server schrijfrecht (chown) of kies een andere map met "
                           f"CATALOGUS_DATA_DIR.", "data_dir_not_writable") from exc
    return data_dir


def write_private_file(path: Path, text: str) -> bool:
    """Create ``path`` as 0600 with ``text``; False when it already existed (another process was first)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, PRIVATE_FILE)
    return True


def replace_private_file(path: Path, text: str) -> None:
    """Atomically replace ``path`` with ``text`` (0600): written aside, fsync-ed, renamed into place."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, PRIVATE_FILE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def secret_key(settings: "Settings") -> str:
    """The key that signs CSRF tokens and keys log hashes: the setting, or one kept (0600) in the data directory.

    Every process of one deployment reads the same file, so tokens signed by one worker are
    accepted by another.
    """
    if settings.secret_key:
        return settings.secret_key
    path = Path(settings.data_dir) / "secret_key"
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        pass
    make_private_dir(path.parent)
    write_private_file(path, secrets.token_urlsafe(48))  # False: another process was first; use its key
    return path.read_text(encoding="ascii").strip()
