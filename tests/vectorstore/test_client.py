"""Client choice: embedded directory or Chroma server URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import chromadb
import pytest

from litsynth.errors import StoreError
from litsynth.settings import StoreSettings
from litsynth.vectorstore.client import ServerAddress, client_kind, open_client, parse_chroma_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:8000", ServerAddress("127.0.0.1", 8000, False)),
        ("http://chroma.local:9123/", ServerAddress("chroma.local", 9123, False)),
        ("https://db.example.org", ServerAddress("db.example.org", 443, True)),
        ("http://localhost", ServerAddress("localhost", 8000, False)),
        (" http://[::1]:8001 ", ServerAddress("::1", 8001, False)),
    ],
)
def test_parse_chroma_url(url: str, expected: ServerAddress) -> None:
    assert parse_chroma_url(url) == expected


@pytest.mark.parametrize(
    "url", ["localhost:8000", "ftp://h:1", "http://", "http://h:notaport", "http://h:1/api?x=1"]
)
def test_bad_chroma_url(url: str) -> None:
    with pytest.raises(StoreError, match="Chroma URL") as info:
        parse_chroma_url(url)
    assert "--chroma-url" in info.value.hint


def test_url_selects_http_client(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: dict[str, Any] = {}

    def fake_http_client(**kwargs: Any) -> str:
        seen.update(kwargs)
        return "http-client"

    monkeypatch.setattr(chromadb, "HttpClient", fake_http_client)
    settings = StoreSettings(path=tmp_path / "unused", chroma_url="http://10.0.0.5:8123")
    assert client_kind(settings) == "http"
    assert open_client(settings, must_exist=True) == "http-client"
    assert (seen["host"], seen["port"], seen["ssl"]) == ("10.0.0.5", 8123, False)
    assert seen["settings"].anonymized_telemetry is False
    assert not (tmp_path / "unused").exists()


def test_unreachable_server_is_store_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**_kwargs: Any) -> None:
        raise ValueError("Could not connect to a Chroma server")

    monkeypatch.setattr(chromadb, "HttpClient", refuse)
    with pytest.raises(StoreError, match="cannot reach"):
        open_client(StoreSettings(chroma_url="http://127.0.0.1:9"))


def test_path_selects_persistent_client(tmp_path: Path) -> None:
    settings = StoreSettings(path=tmp_path / "store")
    assert client_kind(settings) == "persistent"
    open_client(settings).heartbeat()
    assert (tmp_path / "store" / "chroma.sqlite3").is_file()
