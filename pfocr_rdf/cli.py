"""The ``pfocr-rdf`` command line: parse arguments, call the library, print, and set the exit code.

Each subcommand is one small function calling one library function. Library errors become a message
and an exit code in one place, :func:`main`: 0 success (or conforming data), 1 some records rejected
(or non-conforming data), 2 bad input or usage. No traceback reaches the user for bad data.

Each subcommand imports the stage it runs when it runs: the exporter (rdflib mapping, curies, YAML) and the
validator (pySHACL, rdflib's SPARQL engine) take ~0.5 s each to import, which a query answered in
milliseconds should not pay. What the parser itself needs from them (the validator's report formats, the
machine's default ``--jobs``) is read only when argparse looks at it: the option given, or help shown.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import overload

from . import __version__
from .endpoint import DEFAULT_TIMEOUT
from .errors import Interrupted, PfocrError, RecordError, UsageError, printable
from .namespaces import DEFAULT_BASE
from .writing import FORMATS

__all__ = ["main"]

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
_MAX_WARNINGS = 20


def _say(message: str) -> None:
    """Print one message to stderr, escape sequences in it (from file names, say) made harmless."""
    print(printable(message), file=sys.stderr)


class _Progress:
    """A one-line progress display on stderr, only when stderr is a terminal."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.active = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.active or (now - self._last < 0.2 and done != total):
            return
        self._last = now
        percent = 100 * done // total if total else 100
        sys.stderr.write(f"\r{self.label}: {done}/{total} ({percent}%)")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


class _StagedProgress:
    """The validator's progress on one line of stderr (a terminal only): what is loaded, checked, validated.

    Called as ``(stage, done, total)`` from the validator and from its SPARQL thread; see
    :data:`pfocr_rdf.validating.Progress`.
    """

    def __init__(self, label: str) -> None:
        self.label = label
        self.active = sys.stderr.isatty()
        self._last = 0.0
        self._stages: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.active:
            return
        with self._lock:
            self._stages[stage] = (done, total)
            now = time.monotonic()
            if now - self._last < 0.2:
                return
            self._last = now
            self._write()

    def close(self) -> None:
        """Show the last state and end the line."""
        if self.active and self._stages:
            with self._lock:
                self._write()
                sys.stderr.write("\n")
                sys.stderr.flush()

    def _write(self) -> None:
        sys.stderr.write(f"\r{self.label}: {self._line()}\033[K")
        sys.stderr.flush()

    def _line(self) -> str:
        parts = []
        if "load" in self._stages and "chunk" not in self._stages:
            parts.append(f"read {self._stages['load'][0]:,} triples")
        if "check" in self._stages:
            done, total = self._stages["check"]
            parts.append(f"whole-graph checks {done}/{total}")
        if "chunk" in self._stages:
            done, total = self._stages["chunk"]
            percent = 100 * done // total if total else 100
            parts.append(f"{done:,}/{total:,} triples ({percent}%)")
        return ", ".join(parts)


class _Warnings:
    """Prints the first warnings to stderr and counts the rest."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, message: str) -> None:
        self.count += 1
        if self.count <= _MAX_WARNINGS:
            _say(f"warning: {message}")

    def close(self) -> None:
        if self.count > _MAX_WARNINGS:
            _say(f"warning: ... and {self.count - _MAX_WARNINGS} more warnings")


class _Choices(Sequence[str]):
    """The names of a registry kept in a module that is slow to import, imported when argparse first reads them.

    argparse reads an option's choices only when the option is given or its command's help is shown, so the
    other commands never import the module.
    """

    def __init__(self, module: str, registry: str) -> None:
        self.module = module
        self.registry = registry

    @functools.cached_property
    def _names(self) -> tuple[str, ...]:
        return tuple(getattr(importlib.import_module(self.module, __package__), self.registry))

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._names[index]

    def __len__(self) -> int:
        return len(self._names)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __contains__(self, name: object) -> bool:
        return name in self._names


class _ExportHelp(argparse.HelpFormatter):
    """The export command's help: ``{default_jobs}`` in a help text becomes this machine's default ``--jobs``.

    It is the exporter's to say, and the exporter is slow to import: filled in only when the help is shown.
    """

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = super()._get_help_string(action)
        if text is None or "{default_jobs}" not in text:
            return text
        from .export import default_jobs

        return text.replace("{default_jobs}", str(default_jobs()))


def _export(args: argparse.Namespace) -> int:
    from .export import export, parse_partition

    warnings = _Warnings()
    summary = export(
        args.sources,
        output=args.output,
        format=args.format,
        base=args.base,
        strict=args.strict,
        rejects=args.rejects,
        jobs=args.jobs,
        shard_records=args.shard_records,
        compress=args.compress,
        partition=parse_partition(args.partition) if args.partition else None,
        validate=args.validate,
        warn=warnings,
        progress=_Progress("export"),
    )
    warnings.close()
    for fault in summary.faults[:_MAX_WARNINGS]:
        _say(f"rejected: {fault}")
    if summary.rejected > _MAX_WARNINGS:
        _say(f"rejected: ... and {summary.rejected - _MAX_WARNINGS} more (see --rejects)")
    _say(summary.line())
    return EXIT_REJECTED if summary.rejected else EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from .validating import format_report, validate_files

    progress = _StagedProgress("validate")
    try:
        report = validate_files(args.files, shapes=args.shapes, jobs=args.jobs, progress=progress)
    finally:
        progress.close()
    sys.stdout.write(format_report(report, args.format))
    return report.exit_code


def _load(args: argparse.Namespace) -> int:
    if args.endpoint is not None:
        from .endpoint import load_files

        result = load_files(args.files, endpoint=args.endpoint, graph=args.graph,
                            chunk_triples=args.chunk_triples, query_endpoint=args.query_endpoint,
                            verify=not args.no_verify, timeout=args.timeout)
        checked = "" if result.store_after is None else f"; the graph now holds {result.store_after}"
        _say(f"sent {result.triples_sent} triples from {len(result.files)} file(s) in {result.requests} "
             f"request(s) to {result.endpoint} in {result.seconds:.2f} s{checked}")
        return EXIT_OK
    for option in ("graph", "query_endpoint"):
        if getattr(args, option) is not None:
            flag = "--" + option.replace("_", "-")
            raise UsageError(f"{flag} goes with --endpoint; the embedded store keeps each file's own graphs")
    from .store import DEFAULT_STORE_DIR, load

    summary = load(args.files, args.store or DEFAULT_STORE_DIR)
    _say(f"{summary} into {args.store or DEFAULT_STORE_DIR}")
    return EXIT_OK


def _query(args: argparse.Namespace) -> int:
    from .querying import bind_params, heading, load_query, parse_param_assignments, run_query, write_result

    if args.list:
        return _list_queries()
    if args.query is None:
        raise UsageError("name a query (a .rq file or a shipped query), or give --list to see the shipped ones")
    query = load_query(args.query)
    params = parse_param_assignments(args.param or [])
    # csv, tsv and json are written row by row as the store answers; a table needs every row first
    result = run_query(query, params=params, store=args.store, data=args.data, endpoint=args.endpoint,
                       timeout=args.timeout, stream=args.format != "table")
    if args.format == "table":
        print(heading(query, bind_params(query, params)))
    write_result(result, sys.stdout, args.format)
    return EXIT_OK


def _list_queries() -> int:
    from .querying import load_query, shipped_query_names

    for name in shipped_query_names():
        query = load_query(name)
        print(f"{name}: {query.title}")
        for spec in query.params:
            default = f"default {spec.default}" if spec.default is not None else "required"
            print(f"    --param {spec.name}=... ({spec.type}, {default}): {spec.label}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from .serving import serve

    # uvicorn stops gracefully on SIGINT or SIGTERM, then hands the signal on to these handlers: end quietly
    # (the export's "no partial output" message means nothing here).
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _server_stopped)
    serve(args.store, bind=args.bind, base=args.base, timeout=args.timeout, max_rows=args.max_rows,
          workers=args.workers, void=args.void)
    return EXIT_OK


def _server_stopped(signum: int, frame: object) -> None:
    print("pfocr-rdf serve: stopped", file=sys.stderr)
    raise SystemExit(EXIT_OK)


def _examples(args: argparse.Namespace) -> int:
    from .publishing.examples import examples_document, write_examples

    if args.output is None:
        sys.stdout.write(examples_document(base=args.base, target=args.target))
        return EXIT_OK
    written = write_examples(args.output, base=args.base, target=args.target)
    print(f"wrote {len(written)} SIB sparql-examples twin(s) to {args.output}", file=sys.stderr)
    return EXIT_OK


def _describe(args: argparse.Namespace) -> int:
    from .publishing.void import describe_store
    from .store import open_store
    from .writing import atomic_output

    text = describe_store(open_store(args.store, read_only=True), base=args.base, version=args.release_version,
                          sparql_endpoint=args.sparql_endpoint, data_dumps=args.data_dump or ())
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        with atomic_output(args.output) as stream:
            stream.write(text)
    return EXIT_OK


def _vocabulary(args: argparse.Namespace) -> int:
    from .publishing.vocabulary import vocabulary_html
    from .writing import atomic_output

    if args.output in (None, "-"):
        sys.stdout.write(vocabulary_html())
    else:
        with atomic_output(args.output) as stream:
            stream.write(vocabulary_html())
    return EXIT_OK


def _context(args: argparse.Namespace) -> int:
    from .writing import atomic_output
    from .writing.jsonld import context_text

    if args.output in (None, "-"):
        sys.stdout.write(context_text())
    else:
        with atomic_output(args.output) as stream:
            stream.write(context_text())
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pfocr-rdf",
        description="PFOCR (Pathway Figure OCR) figure records as linked data.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    exporting = commands.add_parser(
        "export", help="export PFOCR records to RDF", formatter_class=_ExportHelp,
        description="Read PFOCR records (a checkout of the PFOCR site, a folder of records, or record files) "
                    "and write them as RDF. Exit 0: all exported; 1: some rejected; 2: bad usage or input.")
    exporting.add_argument("sources", nargs="+", metavar="SOURCE",
                           help="a PFOCR tree (with _figures/ and _data/), a folder of .md records, or .md files")
    exporting.add_argument("-o", "--output", metavar="FILE",
                           help="output file, or folder with --shard-records (default: standard output); "
                                "a name ending in .gz is compressed")
    exporting.add_argument("--format", choices=list(FORMATS),
                           help="output format (default: from the output file's extension, else turtle)")
    exporting.add_argument("--jobs", type=_positive, default=None, metavar="N",
                           help="worker processes that read, map and render records (default: the usable "
                                "CPUs, at most 8: {default_jobs} here; never more than the record chunks); "
                                "the output is the same for any N")
    exporting.add_argument("--shard-records", type=int, metavar="N",
                           help="write -o FOLDER as numbered files of N records each (each parses on its own) "
                                "plus a release file, for bulk loaders")
    exporting.add_argument("--compress", action="store_true", help="gzip the shards (single files: name them .gz)")
    exporting.add_argument("--partition", metavar="K/N",
                           help="export only the K-th of N disjoint parts of the records (by a stable hash of "
                                "the figid), e.g. for the tasks of a batch array job")
    exporting.add_argument("--base", default=DEFAULT_BASE, metavar="IRI",
                           help=f"base IRI of minted nodes (default: {DEFAULT_BASE})")
    exporting.add_argument("--strict", action="store_true", help="stop at the first bad record")
    exporting.add_argument("--validate", action="store_true",
                           help="check each record's triples against the SHACL shapes as they are produced; "
                                "a record that fails goes to the rejects report with the failing constraints")
    exporting.add_argument("--rejects", metavar="FILE",
                           help="write rejected records as JSON Lines (file, line, field, reason, figid)")
    exporting.set_defaults(run=_export)

    validating = commands.add_parser(
        "validate", help="check RDF files against the SHACL shapes",
        description="Validate RDF files (of any size: they are checked in record-sized chunks, and the checks "
                    "that need the whole graph run as SPARQL on an embedded store) against the shipped SHACL "
                    "shapes. Exit 0: conforms (warnings allowed); 1: violations; 2: bad input.")
    validating.add_argument("files", nargs="+", metavar="FILE",
                            help="RDF files: whatever export writes (.ttl, .nt, .nq, .jsonld, .jsonl, ...), "
                                 "optionally .gz, and .trig, .n3, .rdf")
    validating.add_argument("--shapes", metavar="FILE", help="a shapes file (default: the shipped shapes)")
    # a metavar of its own: argparse would otherwise read the choices as soon as the option is added
    validating.add_argument("--format", choices=_Choices(".validating", "FORMATS"), default="text",
                            metavar="FORMAT",
                            help="report format: text (for people; default), turtle (a SHACL report), json")
    validating.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (default: 1)")
    validating.set_defaults(run=_validate)

    loading = commands.add_parser(
        "load", help="load RDF files into the embedded store or a SPARQL server",
        description="Load RDF files into the embedded on-disk store (default folder: ./pfocr-store), or with "
                    "--endpoint into a server's Graph Store (SPARQL 1.1 Graph Store HTTP Protocol), in chunks, "
                    "with retries, checking the triple count afterwards. Credentials come from the environment "
                    "variables PFOCR_RDF_USER and PFOCR_RDF_PASSWORD and are never printed.")
    loading.add_argument("files", nargs="+", metavar="FILE",
                         help="RDF files: whatever export writes (.ttl, .nt, .nq, .jsonld, .jsonl, ...), "
                              "optionally .gz, and .trig, .n3, .rdf")
    target = loading.add_mutually_exclusive_group()
    target.add_argument("--store", metavar="DIR", help="the embedded store's folder (default: ./pfocr-store)")
    target.add_argument("--endpoint", metavar="URL",
                        help="a Graph Store endpoint, e.g. http://127.0.0.1:8890/sparql-graph-crud-auth")
    loading.add_argument("--graph", metavar="IRI", help="the named graph to load into (with --endpoint)")
    loading.add_argument("--query-endpoint", metavar="URL",
                         help="the SPARQL query endpoint used to check the count (default: derived from --endpoint)")
    loading.add_argument("--chunk-triples", type=int, default=50_000, metavar="N",
                         help="triples per request (default: 50000)")
    loading.add_argument("--no-verify", action="store_true", help="do not check the triple count afterwards")
    loading.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                         help=f"with --endpoint: give up on a request the server has not answered within "
                              f"SECONDS (default: {DEFAULT_TIMEOUT:g}); each request is tried 4 times")
    loading.set_defaults(run=_load)

    from .querying import RESULT_FORMATS

    querying = commands.add_parser(
        "query", help="run an example query (or your own) on the store, files or an endpoint",
        description="Run a SPARQL query: a .rq file or the name of a shipped query (see queries/README.md). "
                    "Parameters are bound as RDF terms, never pasted into the query text.")
    querying.add_argument("query", metavar="QUERY", nargs="?",
                          help="a shipped query's name (e.g. top-genes) or the path of any .rq file: "
                               "deliberately, any file you name is read as a query")
    querying.add_argument("--list", action="store_true", help="list the shipped queries with their parameters")
    querying.add_argument("--param", action="append", metavar="NAME=VALUE", help="bind a query parameter")
    source = querying.add_mutually_exclusive_group()
    source.add_argument("--store", metavar="DIR", help="the embedded store's folder (default: ./pfocr-store)")
    source.add_argument("--data", nargs="+", metavar="FILE",
                        help="RDF files, loaded into memory (any name load reads)")
    source.add_argument("--endpoint", metavar="URL", help="a SPARQL query endpoint")
    querying.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                          help=f"with --endpoint: give up when the server has not answered within SECONDS "
                               f"(default: {DEFAULT_TIMEOUT:g})")
    querying.add_argument("--format", choices=RESULT_FORMATS, default="table",
                          help="result format (default: table)")
    querying.set_defaults(run=_query)

    _add_publishing_commands(commands)

    context = commands.add_parser(
        "context", help="write the JSON-LD context that .jsonld / .jsonl output names",
        description="Write the JSON-LD context that JSON-LD output refers to; publish it at "
                    "https://pfocr.wikipathways.org/rdf/context.jsonld beside the data.")
    context.add_argument("-o", "--output", metavar="FILE", help="output file (default: standard output)")
    context.set_defaults(run=_context)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < 1e6:
        raise argparse.ArgumentTypeError(f"expected a number of seconds above 0, not {text!r}")
    return value


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a batch scheduler's stop), raised where Ctrl-C would be, so that it unwinds alike."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _add_publishing_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add serve, examples, describe and vocabulary: what a release publishes beside its files."""
    serving = commands.add_parser(
        "serve", help="serve the embedded store: SPARQL endpoint, linked-data pages, example queries",
        description="Serve the embedded store read-only over HTTP: a SPARQL 1.1 Protocol endpoint at /sparql, "
                    "a home page that runs the example queries, and a page (HTML, Turtle or JSON-LD by Accept) for "
                    "every node, the server standing in for --base. Binds loopback unless told otherwise.")
    serving.add_argument("--store", default="pfocr-store", metavar="DIR",
                         help="the embedded store's folder (default: ./pfocr-store)")
    serving.add_argument("--bind", default="127.0.0.1:8000", metavar="HOST:PORT",
                         help="where to listen (default: 127.0.0.1:8000, loopback only)")
    serving.add_argument("--base", default=DEFAULT_BASE, metavar="IRI",
                         help=f"the base of the minted IRIs the server answers for (default: {DEFAULT_BASE})")
    serving.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                         help="stop a query that runs longer (default: 30); the client gets HTTP 503")
    serving.add_argument("--max-rows", type=int, default=100_000, metavar="N",
                         help="refuse answers of more rows or triples (default: 100000); the client gets HTTP 400")
    serving.add_argument("--workers", type=int, default=2, metavar="N",
                         help="query worker processes, i.e. queries run at once (default: 2)")
    serving.add_argument("--void", metavar="FILE",
                         help="serve this dataset description at /.well-known/void (default: computed from the "
                              "store on first request, see 'pfocr-rdf describe')")
    serving.set_defaults(run=_serve)

    examples = commands.add_parser(
        "examples", help="write the example queries in SIB's sparql-examples format",
        description="Write one Turtle file per shipped query (sh:SPARQLExecutable, rdfs:comment, sh:select, "
                    "schema:target, schema:keywords), the format SIB's SPARQL editor reads from the graph "
                    "<BASE.well-known/sparql-examples>; without -o, one document on standard output.")
    examples.add_argument("-o", "--output", metavar="DIR", help="folder for the .ttl files (e.g. queries/examples)")
    examples.add_argument("--base", default=DEFAULT_BASE, metavar="IRI", help=f"base IRI (default: {DEFAULT_BASE})")
    examples.add_argument("--target", metavar="URL", help="the endpoint the examples run on (default: BASEsparql)")
    examples.set_defaults(run=_examples)

    describing = commands.add_parser(
        "describe", help="compute the VoID / HCLS dataset description of a store",
        description="Count what the store holds (triples, classes, properties, links to NCBI Gene, MeSH, ChEBI, "
                    "DOID, NCBI Taxonomy, PMC, DOI, ...) and write a VoID description at the HCLS summary, "
                    "version and distribution levels, as Turtle.")
    describing.add_argument("--store", default="pfocr-store", metavar="DIR",
                            help="the embedded store's folder (default: ./pfocr-store)")
    describing.add_argument("-o", "--output", metavar="FILE", help="output file (default: standard output)")
    describing.add_argument("--base", default=DEFAULT_BASE, metavar="IRI", help=f"base IRI (default: {DEFAULT_BASE})")
    describing.add_argument("--release-version", metavar="VERSION",
                            help="the release's version (default: the day the release in the store was made)")
    describing.add_argument("--sparql-endpoint", metavar="URL", help="the public endpoint (default: BASEsparql)")
    describing.add_argument("--data-dump", action="append", metavar="URL", help="a download URL of the data files")
    describing.set_defaults(run=_describe)

    vocabulary = commands.add_parser(
        "vocabulary", help="write the pfocr: vocabulary as an HTML page",
        description="Write the pfocr: vocabulary (pfocr_rdf/vocab/pfocr.ttl) as one HTML page with an anchor per "
                    "term, as served at https://pfocr.wikipathways.org/vocab.")
    vocabulary.add_argument("-o", "--output", metavar="FILE", help="output file (default: standard output)")
    vocabulary.set_defaults(run=_vocabulary)


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated(signum)


def _stopped_by_strict(err: RecordError) -> bool:
    """Return whether ``err`` is the exporter's ``--strict`` stop (then the exporter, its source, is loaded)."""
    from .export import StrictStop

    return isinstance(err, StrictStop)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    # SIGTERM (a batch scheduler's stop) unwinds like Ctrl-C, so no temporary file is left behind
    signal.signal(signal.SIGTERM, _terminate)
    interrupted = 130
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except BrokenPipeError:
        return EXIT_OK
    except Interrupted as err:
        # what the command leaves behind is its own to say (a store keeps what was loaded)
        _say(str(err))
        return 128 + signal.SIGTERM if isinstance(err.__cause__, _Terminated) else interrupted
    except RecordError as err:
        if _stopped_by_strict(err):
            _say(f"error: {err} (stopped by --strict; nothing was written)")
            return EXIT_REJECTED
        _say(f"error: {err}")
        return EXIT_USAGE
    except PfocrError as err:
        _say(f"error: {err}")
        return EXIT_USAGE
    except OSError as err:
        where = f" {err.filename}" if err.filename else ""
        _say(f"error: cannot read or write{where}: {err.strerror or err}")
        return EXIT_USAGE
    except Exception as err:  # a bug of ours: say so in one line, never a traceback
        _say(f"internal error: {type(err).__name__}: {err}; this is a bug in pfocr-rdf {__version__}: please "
             "report it with the command that caused it")
        return EXIT_USAGE
    except KeyboardInterrupt as err:
        terminated = isinstance(err, _Terminated)
        _say(f"{'terminated' if terminated else 'interrupted'}; no partial output was left under the final name")
        return 128 + signal.SIGTERM if terminated else interrupted


if __name__ == "__main__":
    sys.exit(main())
