"""Apache Jena's SHACL engine, as a second opinion on pySHACL: Debian's ``libapache-jena-java`` run by java.

Debian packages Jena 4.5 as libraries only (no ``shacl`` script), and two of its quirks need working
around (measured in ``../shared/NOTES.md``):

- ``java -cp '/usr/share/java/*'`` fails, because that folder holds several SLF4J bindings; the class
  path here names the jars Jena needs one by one (:data:`JARS`), with ``slf4j-nop`` as the one binding.
- Jena's shaded xerces classes look up their messages as ``xerces/impl/...`` resource bundles (the
  regex ones for ``sh:pattern``, ``xerces/impl/msg/XMLSchemaMessages`` whenever a literal is ill-typed,
  e.g. ``"high"^^xsd:decimal``), but ``jena-core.jar`` holds them under ``org/apache/jena/ext/xerces/``.
  :func:`class_path` extracts every such ``.properties`` file once per session into a temporary folder
  put first on the class path.

:func:`jena_shacl` runs Jena's own command (``shacl.shacl validate``) on one data file and returns its
verdict. :func:`jena_shacl_results` validates many files in one JVM (a few lines of Java run by the
JDK's source launcher, which Debian's headless JRE can run) and returns every result, so that a test can
compare them with pySHACL's; starting a JVM per file would cost about two seconds each.
Nothing runs at import time.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "INSTALL_HINT",
    "JARS",
    "JenaError",
    "JenaResult",
    "class_path",
    "jena_available",
    "jena_shacl",
    "jena_shacl_results",
]

JAVA_DIR = Path("/usr/share/java")
INSTALL_HINT = (
    "Apache Jena is not installed; on Debian or Ubuntu: "
    "`sudo apt-get install -y --no-install-recommends libapache-jena-java default-jre-headless`"
)
#: The jars of Debian's Jena 4.5 and its dependencies (unversioned names, as Debian links them).
JARS = (
    "jena-base", "jena-core", "jena-arq", "jena-iri", "jena-shacl", "jena-shex", "jena-cmds",
    "jena-rdfconnection", "jena-tdb", "jena-tdb2", "jena-dboe-base", "jena-dboe-index",
    "jena-dboe-storage", "jena-dboe-trans-data", "jena-dboe-transaction",
    "commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3",
    "dexx.collection", "gson", "guava", "httpclient", "httpcore",
    "jackson-core", "jackson-databind", "jackson-annotations",
    "jsonld-java", "jakarta.json-api", "titanium-json-ld", "protobuf", "thrift",
    "slf4j-api", "slf4j-nop",
)
_XERCES_IN_JAR = "org/apache/jena/ext/"
_TIMEOUT = 600.0

# Validates every data file against one parsed shapes graph and prints one line per result:
# file, focus, path, component, severity, source shape (N-Triples terms, "-" when absent), then
# "file <TAB> conforms <TAB> true|false".
_BATCH_SOURCE = """\
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.out.NodeFmtLib;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;
import org.apache.jena.sparql.path.P_Link;
import org.apache.jena.sparql.path.Path;

public class JenaShaclBatch {
    static String term(Node node) {
        return node == null ? "-" : NodeFmtLib.strNT(node);
    }

    static String path(Path path) {
        if (path == null) return "-";
        if (path instanceof P_Link) return term(((P_Link) path).getNode());
        return "path:" + path.toString();
    }

    public static void main(String[] args) {
        Shapes shapes = Shapes.parse(RDFDataMgr.loadGraph(args[0]));
        for (int i = 1; i < args.length; i++) {
            Graph data = RDFDataMgr.loadGraph(args[i]);
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            for (ReportEntry e : report.getEntries()) {
                System.out.println(String.join("\\t", args[i], term(e.focusNode()), path(e.resultPath()),
                    term(e.sourceConstraintComponent()), term(e.severity().level()), term(e.source())));
            }
            System.out.println(args[i] + "\\tconforms\\t" + report.conforms());
        }
    }
}
"""


class JenaError(RuntimeError):
    """Jena could not run, or printed something this module does not understand."""


@dataclass(frozen=True)
class JenaResult:
    """One validation result, its terms in N-Triples syntax (``None`` where Jena gives none)."""

    focus: str
    path: str | None
    component: str
    severity: str
    shape: str | None


def jena_available() -> str | None:
    """Return None when Jena's SHACL can run here, else a skip message saying how to install it."""
    if shutil.which("java") is None:
        return f"no `java` on PATH. {INSTALL_HINT}"
    missing = [name for name in JARS if not (JAVA_DIR / f"{name}.jar").is_file()]
    if missing:
        return f"missing jars in {JAVA_DIR}: {', '.join(missing)}. {INSTALL_HINT}"
    return None


@functools.cache
def class_path() -> str:
    """Return Jena's class path: the extracted xerces messages folder first, then the jars."""
    folder = Path(tempfile.mkdtemp(prefix="pfocr-jena-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(_XERCES_IN_JAR + "xerces/") and name.endswith(".properties"):
                target = folder / name.removeprefix(_XERCES_IN_JAR)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return ":".join([str(folder), *(str(JAVA_DIR / f"{name}.jar") for name in JARS)])


def _run(args: list[str]) -> str:
    done = subprocess.run(
        ["java", "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", class_path(), *args],
        capture_output=True, text=True, timeout=_TIMEOUT, check=False,
    )
    if done.returncode != 0:
        raise JenaError(f"java exited with {done.returncode}: {done.stderr.strip()[-2000:]}")
    return done.stdout


def jena_shacl(shapes: Path, data: Path) -> bool:
    """Return whether ``data`` conforms to ``shapes`` by Jena's ``shacl validate`` command.

    Raises :class:`JenaError` when Jena fails or its report has no ``sh:conforms``.
    """
    report = _run(["shacl.shacl", "validate", "--shapes", str(shapes), "--data", str(data)])
    # The report is Turtle; read it with rdflib rather than trusting its layout.
    from rdflib import Graph
    from rdflib.namespace import SH

    graph = Graph().parse(data=report, format="turtle")
    verdicts = list(graph.objects(None, SH.conforms))
    if len(verdicts) != 1:
        raise JenaError(f"Jena's report on {data} has {len(verdicts)} sh:conforms values:\n{report[:2000]}")
    return bool(verdicts[0].toPython())


def jena_shacl_results(shapes: Path, data: list[Path]) -> dict[Path, tuple[bool, frozenset[JenaResult]]]:
    """Validate every data file in one JVM; return each file's verdict and results.

    Raises :class:`JenaError` when Jena fails or prints a line this function cannot read.
    """
    folder = Path(class_path().split(":", 1)[0])
    source = folder / "JenaShaclBatch.java"
    if not source.exists():
        source.write_text(_BATCH_SOURCE, encoding="utf-8")
    out = _run([str(source), str(shapes), *(str(p) for p in data)])
    by_name = {str(p): p for p in data}
    results: dict[Path, set[JenaResult]] = {p: set() for p in data}
    verdicts: dict[Path, bool] = {}
    for line in out.splitlines():
        fields = line.split("\t")
        if len(fields) == 3 and fields[1] == "conforms" and fields[0] in by_name:
            verdicts[by_name[fields[0]]] = fields[2] == "true"
        elif len(fields) == 6 and fields[0] in by_name:
            _, focus, path, component, severity, shape = fields
            results[by_name[fields[0]]].add(JenaResult(
                focus, None if path == "-" else path, component, severity, None if shape == "-" else shape))
        else:
            raise JenaError(f"cannot read Jena's output line: {line!r}")
    missing = [p for p in data if p not in verdicts]
    if missing:
        raise JenaError(f"Jena gave no verdict on {missing}")
    return {p: (verdicts[p], frozenset(results[p])) for p in data}
