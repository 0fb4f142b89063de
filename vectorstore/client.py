"""Choosing and opening the Chroma client: embedded directory or a Chroma server URL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from litsynth.errors import StoreError
from litsynth.settings import StoreSettings
from litsynth.vectorstore.generation import read_generation

if TYPE_CHECKING:
    from chromadb.api import ClientAPI


@dataclass(frozen=True)
class ServerAddress:
    """Where a Chroma server listens."""

    host: str
    port: int
    ssl: bool


def parse_chroma_url(url: str) -> ServerAddress:
    """``http://host:port`` or ``https://host[:port]`` -> address; anything else is a StoreError."""
    hint = "use --chroma-url http://HOST:PORT, e.g. http://127.0.0.1:8000"
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"invalid Chroma URL {url!r}", hint=hint)
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise StoreError(f"Chroma URL {url!r} must not have a path or query", hint=hint)
    try:
        port = parts.port
    except ValueError as exc:
        raise StoreError(f"invalid port in Chroma URL {url!r}", hint=hint) from exc
    ssl = parts.scheme == "https"
    return ServerAddress(parts.hostname, port or (443 if ssl else 8000), ssl)


def client_kind(settings: StoreSettings) -> str:
    """``"http"`` when a server URL is set, else ``"persistent"``."""
    return "http" if settings.chroma_url else "persistent"


def open_client(settings: StoreSettings, *, must_exist: bool = False) -> ClientAPI:
    """A Chroma client for the settings; ``must_exist`` refuses to create a new directory."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        address = parse_chroma_url(settings.chroma_url)
        try:
            return chromadb.HttpClient(
                host=address.host, port=address.port, ssl=address.ssl, settings=chroma_settings
            )
        except (ConnectionError, OSError, ValueError) as exc:
            raise StoreError(
                f"cannot reach the Chroma server at {settings.chroma_url}: {exc}",
                hint="start it with `chroma run --path DIR --port PORT` or fix --chroma-url",
            ) from exc
    path = Path(settings.path)
    _refuse_file(path)
    if must_exist and not (path / "chroma.sqlite3").is_file():
        raise StoreError(
            f"no litsynth store at {path}",
            hint="run `litsynth ingest PATH... --store DIR` first",
        )
    try:
        prepare_directory(path)
        _forget_if_stale(path)
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except (OSError, ValueError) as exc:
        raise StoreError(f"cannot open the store at {path}: {exc}", hint="check the path") from exc
    except Exception as exc:  # chromadb's own errors (e.g. a corrupt or foreign SQLite file)
        raise StoreError(
            f"cannot open the store at {path}: {type(exc).__name__}: {exc}",
            hint="check that it is a litsynth store, or use another --store",
        ) from exc


def _refuse_file(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise StoreError(
            f"the store path {path} is a file, not a directory",
            hint="pass --store a directory (new or an existing litsynth store)",
        )


def prepare_directory(path: Path) -> None:
    """Create the store directory (parents too); a StoreError if a file is in the way."""
    _refuse_file(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the store directory {path}: {exc.strerror}",
            hint="check the path and its permissions",
        ) from exc


def forget_cached_clients() -> None:
    """Drop Chroma's per-process cache of open stores, so the next open reads the disk again."""
    from chromadb.api.shared_system_client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    _cached_at.clear()


_cached_at: dict[str, str] = {}
"""Store directory -> generation at which this process's cached Chroma system for it was made."""


def _forget_if_stale(path: Path) -> None:
    """Drop the cached systems when another process wrote ``path`` since ours was made."""
    now = read_generation(path)
    if _cached_at.get(str(path), now) != now:
        forget_cached_clients()
    _cached_at.setdefault(str(path), now)


def mark_current(path: Path, generation: str) -> None:
    """This process wrote ``path`` itself: its cached system holds ``generation``."""
    _cached_at[str(path)] = generation
