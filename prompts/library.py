"""Load, validate, hash and render the prompt templates."""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from litsynth.errors import ConfigError

_HEADER = re.compile(r"\A---\s*\n(?P<head>.*?)\n---\s*\n(?P<body>.*)\Z", re.S)
_SECTION = re.compile(r"^\[(system|user)\]\s*$", re.M)


@dataclass(frozen=True)
class Prompt:
    """A validated two-part chat prompt."""

    name: str
    variables: frozenset[str]
    system: str
    user: str
    sha256: str
    source: str

    def render(self, **values: object) -> list[tuple[str, str]]:
        """Fill the template; every declared variable must be given, and nothing else."""
        given = set(values)
        if given != self.variables:
            missing = sorted(self.variables - given)
            unknown = sorted(given - self.variables)
            raise ConfigError(
                f"prompt {self.name!r}: missing variables {missing}, unknown {unknown}",
                hint="pass exactly the variables the prompt declares",
            )
        return [
            ("system", self.system.format(**values)),
            ("user", self.user.format(**values)),
        ]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def parse_prompt(name: str, text: str, source: str) -> Prompt:
    """Parse and validate one prompt file's text."""
    m = _HEADER.match(text)
    if not m:
        raise ConfigError(
            f"prompt {name!r} ({source}) has no '---' header",
            hint="start the file with ---, a 'variables:' line and ---",
        )
    head = dict(
        (k.strip(), v.strip())
        for k, _, v in (line.partition(":") for line in m["head"].splitlines())
        if k.strip()
    )
    if "variables" not in head:
        raise ConfigError(f"prompt {name!r} ({source}) declares no variables line")
    declared = frozenset(v.strip() for v in head["variables"].split(",") if v.strip())
    parts = _SECTION.split(m["body"])
    sections = dict(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))
    if set(sections) != {"system", "user"}:
        raise ConfigError(f"prompt {name!r} ({source}) needs one [system] and one [user] section")
    try:
        used = _fields(sections["system"]) | _fields(sections["user"])
    except ValueError as exc:
        raise ConfigError(f"prompt {name!r} ({source}): bad template: {exc}") from exc
    if used != declared:
        raise ConfigError(
            f"prompt {name!r} ({source}): uses {sorted(used)} but declares {sorted(declared)}",
            hint="make the 'variables:' header match the {fields} in the text",
        )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Prompt(name, declared, sections["system"], sections["user"], digest, source)


@dataclass(frozen=True)
class PromptLibrary:
    """All prompts by name."""

    prompts: Mapping[str, Prompt]

    def __getitem__(self, name: str) -> Prompt:
        try:
            return self.prompts[name]
        except KeyError:
            raise ConfigError(f"no prompt named {name!r}") from None

    def hashes(self, names: Iterable[str] | None = None) -> dict[str, str]:
        """Prompt name -> sha256 of its file (only ``names`` when given), for a manifest."""
        wanted = set(self.prompts) if names is None else set(names)
        return {name: p.sha256 for name, p in sorted(self.prompts.items()) if name in wanted}


def load_prompts(overrides: Mapping[str, Path] | None = None) -> PromptLibrary:
    """Load the bundled prompts, apply overrides, and validate all of them."""
    bundled: dict[str, Prompt] = {}
    for entry in resources.files("litsynth.prompts").iterdir():
        if entry.name.endswith(".md"):
            name = entry.name[:-3]
            bundled[name] = parse_prompt(name, entry.read_text("utf-8"), f"bundled:{entry.name}")
    for name, path in (overrides or {}).items():
        if name not in bundled:
            raise ConfigError(
                f"prompt override for unknown prompt {name!r}",
                hint=f"known prompts: {', '.join(sorted(bundled))}",
            )
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise ConfigError(f"prompt override {path}: {exc.strerror}") from exc
        prompt = parse_prompt(name, text, str(path))
        if prompt.variables != bundled[name].variables:
            raise ConfigError(
                f"prompt override {path} declares {sorted(prompt.variables)}; "
                f"{name!r} needs {sorted(bundled[name].variables)}"
            )
        bundled[name] = prompt
    return PromptLibrary(bundled)
