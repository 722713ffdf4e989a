"""Every setting in one place: name, default and one line of help (env prefix CATALOGUS_)."""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping


def _setting(default: Any, help: str):
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """Run-time settings. Build with ``Settings.from_env()``; pass them in, never import a global."""

    content_dir: Path = _setting(Path("."), "map met products/ en rules/")
    data_dir: Path = _setting(Path("data"), "map voor de database, de zoekindex en andere gegevens")
    database_url: str = _setting("", "PostgreSQL-URL (postgresql://...); leeg = SQLite-bestand in data_dir")
    secret_key: str = _setting("", "geheime sleutel voor ondertekende cookies; leeg = een sleutel in data_dir")
    data_key: str = _setting("", "sleutel(s) voor de versleutelde gegevens (base64, komma-gescheiden, de eerste "
                                 "versleutelt; maak er een met catalogus keys new); leeg = het sleutelbestand")
    data_key_file: Path = _setting(Path(""), "sleutelbestand (0600) voor de versleutelde gegevens; leeg = "
                                             "data_keys.json in data_dir, gemaakt bij de eerste start")
    secure_cookies: bool = _setting(True, "cookies alleen over HTTPS (zet uit voor lokaal testen over http)")
    session_idle_minutes: int = _setting(30, "sessie verloopt na zoveel minuten zonder activiteit")
    session_max_hours: int = _setting(10, "sessie verloopt altijd na zoveel uur")
    login_max_failures: int = _setting(5, "na zoveel mislukte pogingen wordt een account tijdelijk geblokkeerd")
    login_lock_minutes: int = _setting(15, "zo lang blijft een account geblokkeerd")
    rate_limit_per_minute: int = _setting(10, "hoogstens zoveel aanmeldingen of inlogpogingen per minuut per adres")
    reload: bool = _setting(True, "inhoud opnieuw laden als bestanden veranderen")
    purge_interval_hours: int = _setting(24, "zo vaak ruimt de server oude aanmeldingen op")
    steering: bool = _setting(True, "tel anoniem per dag en gemeente voor de sturingsinformatie (zet uit om "
                                    "te meten wat tellen kost)")
    log_level: str = _setting("INFO", "logniveau: DEBUG, INFO, WARNING of ERROR")
    today: str = _setting("", "vaste datum (JJJJ-MM-DD) in plaats van vandaag; alleen voor tests en demo's")
    public_url: str = _setting("https://www.voorbeeldstad.nl",
                               "openbaar adres van de site, voor links in exports en de SC-feed")
    gemeente: str = _setting("Voorbeeldstad", "naam van de gemeente, in de SC-feed en exports")
    trusted_proxies: str = _setting("", "adressen van proxyservers (zoals nginx), komma-gescheiden, waarvan "
                                        "X-Forwarded-For en X-Forwarded-Proto geloofd worden; leeg = van niemand")
    source_url: str = _setting("", "waar de broncode van de check staat (een adres), voor het Algoritmeregister; "
                                   "leeg = de broncode is op aanvraag bij de gemeente")
    gemeente_uri: str = _setting("", "OWMS-URI van de gemeente in de SC-feed; leeg = "
                                     "de OWMS-gemeentelijst plus de naam van de gemeente")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(f"CATALOGUS_{f.name.upper()}")
            if raw is None:
                continue
            values[f.name] = _convert(f.default, raw, f.name)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_(self, **changes: Any) -> "Settings":
        return replace(self, **changes)

    @property
    def proxy_addresses(self) -> list[str]:
        """The trusted proxies as a list (validated); empty means forwarded headers are ignored.

        >>> Settings(trusted_proxies="127.0.0.1, 10.0.0.0/8").proxy_addresses
        ['127.0.0.1', '10.0.0.0/8']
        """
        found = [part.strip() for part in self.trusted_proxies.split(",") if part.strip()]
        for part in found:
            try:
                ipaddress.ip_network(part, strict=False)
            except ValueError:
                raise ValueError(f"CATALOGUS_TRUSTED_PROXIES: {part!r} is geen IP-adres of netwerk "
                                 "(bijvoorbeeld 127.0.0.1 of 10.0.0.0/8)") from None
        return found

    @property
    def key_file(self) -> Path:
        return self.data_key_file if str(self.data_key_file) not in ("", ".") else self.data_dir / "data_keys.json"

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "catalogus.sqlite3"


def _convert(default: Any, raw: str, name: str) -> Any:
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "ja", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "nee", "no", "off"):
            return False
        raise ValueError(f"CATALOGUS_{name.upper()} moet true of false zijn, niet {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"CATALOGUS_{name.upper()} moet een heel getal zijn, niet {raw!r}") from None
    if isinstance(default, Path):
        return Path(raw)
    return raw


def documented_settings() -> list[tuple[str, Any, str]]:
    """(environment variable, default, help) for every setting, for the README and --help."""
    return [(f"CATALOGUS_{f.name.upper()}", f.default, f.metadata["help"]) for f in fields(Settings)]
