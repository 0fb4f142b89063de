"""Store commands: ``ingest`` files, list ``sources``, ``search`` chunks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from litsynth.cli.common import ChromaUrlOpt, ConfigOpt, JsonOpt, PresetOpt, StoreOpt, cli_settings

if TYPE_CHECKING:
    from litsynth.settings import Settings
    from litsynth.vectorstore.store import PaperStore

PathsArg = Annotated[
    list[Path], typer.Argument(help="PDF, .txt/.md or .jsonl files, or directories of them.")
]


def _open_store(settings: Settings, *, must_exist: bool) -> PaperStore:
    from litsynth.text.embedding import get_embedder
    from litsynth.vectorstore.store import PaperStore

    return PaperStore.open(
        settings.store,
        get_embedder(settings.embedding),
        chunking=settings.chunking,
        must_exist=must_exist,
    )


def ingest(
    paths: PathsArg,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    config: ConfigOpt = None,
    preset: PresetOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Add papers to the store; unchanged files are skipped, changed ones replaced."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from litsynth.ingest.runner import ingest_paths

    settings = cli_settings(config, preset, store, chroma_url)
    if not any(p.exists() for p in paths):
        # Nothing to read: fail before opening (and so creating) the store.
        from litsynth.errors import IngestError

        raise IngestError(
            str(paths[0]), "no such file or directory", hint="check the path(s) to ingest"
        )
    from litsynth.text.embedding import get_embedder
    from litsynth.vectorstore.store import PaperStore

    err = Console(stderr=True)
    created = _new_store_dir(settings)
    try:
        with (
            PaperStore.open_for_writing(
                settings.store,
                get_embedder(settings.embedding),
                chunking=settings.chunking,
                on_wait=lambda: err.print("waiting for another ingest into this store to finish"),
            ) as paper_store,
            Progress(
                TextColumn("[bold]ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                console=err,
                transient=True,
            ) as progress,
        ):
            task = progress.add_task("", total=None)
            report = ingest_paths(
                paper_store,
                paths,
                on_total=lambda n: progress.update(task, total=n),
                on_file=lambda p, status: progress.update(task, advance=1, description=p.name),
            )
    finally:
        _drop_if_empty(created, settings)
    for failure in report.failed:
        typer.secho(f"failed: {failure.one_line()}", err=True, fg=typer.colors.RED)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
    else:
        typer.echo(
            f"documents: {report.added} added, {report.unchanged} unchanged, "
            f"{report.replaced} replaced; chunks added: {report.chunks_added}; "
            f"skipped files: {report.skipped_files}; failed: {len(report.failed)}; "
            f"{report.seconds:.1f} s"
        )
    if report.failed:
        raise typer.Exit(1)


def _new_store_dir(settings: Settings) -> Path | None:
    """The embedded store directory if this command is about to create it, else None."""
    path = settings.store.path
    return None if settings.store.chroma_url or path.exists() else path


def _drop_if_empty(created: Path | None, settings: Settings) -> None:
    """Remove a store directory this command created but put no document into."""
    if created is None or not created.is_dir():
        return
    from litsynth.vectorstore.client import forget_cached_clients
    from litsynth.vectorstore.store import PaperStore

    if PaperStore.open(settings.store, must_exist=True).documents():
        return
    import shutil

    forget_cached_clients()
    shutil.rmtree(created, ignore_errors=True)


def sources(
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    config: ConfigOpt = None,
    preset: PresetOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List the documents in the store: id, title, pages, chunks."""
    settings = cli_settings(config, preset, store, chroma_url)
    docs = _open_store(settings, must_exist=True).documents()
    if as_json:
        typer.echo(json.dumps([d.model_dump() for d in docs], indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    n_chunks = sum(d.chunks for d in docs)
    table = Table(
        "id", "title", "pages", "chunks", title=f"{len(docs)} documents, {n_chunks} chunks"
    )
    for d in docs:
        table.add_row(d.doc_id, d.title, str(d.pages), str(d.chunks))
    Console().print(table)


def check(
    repair: Annotated[
        bool, typer.Option("--repair", help="Fix what disagrees (writes the store).")
    ] = False,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    config: ConfigOpt = None,
    preset: PresetOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Compare document records with the chunks and pages the store holds; --repair fixes them."""
    from litsynth.text.embedding import get_embedder
    from litsynth.vectorstore.store import PaperStore

    settings = cli_settings(config, preset, store, chroma_url)
    if repair:
        _open_store(settings, must_exist=True)  # refuse to create a store just to repair it
        with PaperStore.open_for_writing(
            settings.store, get_embedder(settings.embedding), chunking=settings.chunking
        ) as paper_store:
            result = paper_store.check(repair=True)
    else:
        result = _open_store(settings, must_exist=True).check()
    if as_json:
        typer.echo(json.dumps(result.model_dump(), indent=2))
    else:
        typer.echo(
            f"documents: {result.documents}; chunks: {result.chunks}; pages: {result.pages}; "
            f"orphans: {result.orphans}; documents missing chunks: "
            f"{', '.join(result.missing_chunks) or 'none'}; missing pages: "
            f"{', '.join(result.missing_pages) or 'none'}"
        )
        if result.repaired:
            typer.echo(
                f"repaired: {result.orphans_removed} orphans removed, "
                f"{len(result.rechunked)} documents chunked again from their pages, "
                f"{len(result.missing_pages)} records removed (re-ingest their files)"
            )
    if not result.ok and not result.repaired:
        typer.secho(
            "the store's records disagree with what it holds — run `litsynth check --repair`",
            err=True,
            fg=typer.colors.RED,
        )
        raise typer.Exit(1)


def search(
    query: Annotated[str, typer.Argument(help="Text to search for.")],
    k: Annotated[int, typer.Option("-k", "--k", min=1, max=100, help="Chunks to show.")] = 8,
    store: StoreOpt = None,
    chroma_url: ChromaUrlOpt = None,
    config: ConfigOpt = None,
    preset: PresetOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show the chunks most similar to QUERY with score, document, page and span."""
    if not query.strip():
        from litsynth.errors import QuestionError

        raise QuestionError("the search query is empty", hint="give the words to search for")
    settings = cli_settings(config, preset, store, chroma_url)
    hits = _open_store(settings, must_exist=True).search(query, k)
    if as_json:
        rows = [h.model_dump(exclude={"embedding"}) for h in hits]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("score", "document", "page", "span", "text", title=query)
    for h in hits:
        text = h.text if len(h.text) <= 300 else h.text[:297] + "..."
        table.add_row(
            f"{h.score:.3f}",
            f"{h.doc_id}\n{h.title}",
            str(h.page),
            f"{h.char_start}:{h.char_end}",
            text,
        )
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root app."""
    app.command("ingest")(ingest)
    app.command("sources")(sources)
    app.command("search")(search)
    app.command("check")(check)
