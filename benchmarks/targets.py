"""The issue's targets (#5), checked against a run's rows: one line per target, met or not, and why.

- 110,000 figures to Turtle in at most 60 s with ``--jobs 2`` and 120 s with ``--jobs 1``;
- peak RSS at most 300 MB (10^6 bytes) at every size (the largest single process, ``max_rss``);
- at least 50x the rdflib baseline's speed at equal size;
- every format streams with flat memory (and stays under 300 MB);
- the embedded store: loading the 110k export within 90 s, each typical query within 2 s.

And issue #12's limits at corpus size (:func:`check_corpus_limits`):

- validation of 3,000 figures within 8x the export floor's one-process time at 3,000 figures: the floor
  (``floor.py --jobs 1``, the template exporter of item 1) exports the validated tree in the same run
  (``validatebench.floor_export``);
- validation of the corpus (110,000 figures) within 10 minutes, extrapolated linearly from the largest
  size validated (the stages are linear: the measured time x 110,000 / figures);
- on a 10,000-figure store, every parameterised look-up (a query taking a gene, symbol, chemical,
  disease or figure) within 1 s and every whole-corpus aggregate within 4 s, cold, the command's wall
  clock; the top gene (the heaviest look-up) counts too.
"""

from __future__ import annotations

from typing import Any

import formatsbench
import storebench

FULL = 110_000
SECONDS = {2: 60.0, 1: 120.0}
RSS_LIMIT = 300e6  # bytes
SPEEDUP = 50.0


def check(rows: list[dict[str, Any]], baseline: dict[str, Any] | None, formats: list[dict[str, Any]],
          load: dict[str, Any] | None, queries: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """Return (target, "met" / "NOT met" / "not measured", what was measured) for each target."""
    out: list[tuple[str, str, str]] = []
    ours = [r for r in rows if r["who"] == "pfocr-rdf"]
    for jobs, limit in SECONDS.items():
        name = f"{FULL:,} figures to Turtle, --jobs {jobs}: <= {limit:.0f} s"
        r = next((r for r in ours if r["figures"] == FULL and r["jobs"] == jobs), None)
        if r is None or "error" in r:
            out.append((name, "not measured", "no such run" if r is None else f"failed: {r['error']}"))
        else:
            out.append((name, _verdict(r["seconds"] <= limit), f"{r['seconds']:.1f} s"))

    measured = [r for r in ours if "error" not in r]
    name = "peak RSS <= 300 MB at every size (Turtle export)"
    if measured:
        worst = max(measured, key=lambda r: r["max_rss"])
        out.append((name, _verdict(worst["max_rss"] <= RSS_LIMIT),
                    f"largest {worst['max_rss'] / 1e6:.0f} MB ({worst['figures']:,} figures, --jobs {worst['jobs']})"))
    else:
        out.append((name, "not measured", "no successful run"))

    name = f">= {SPEEDUP:.0f}x the rdflib baseline at equal size"
    if baseline is None:
        out.append((name, "not measured", "the baseline did not run or did not finish"))
    else:
        same = [r for r in measured if r["figures"] == baseline["figures"]]
        if not same:
            out.append((name, "not measured", f"no run of ours at {baseline['figures']:,} figures"))
        else:
            ratios = {r["jobs"]: baseline["seconds"] / r["seconds"] for r in same}
            best = max(ratios.values())
            text = ", ".join(f"--jobs {j}: {x:.1f}x" for j, x in sorted(ratios.items()))
            out.append((name, _verdict(best >= SPEEDUP), f"at {baseline['figures']:,} figures, {text}"))

    name = "every format streams with flat memory (and <= 300 MB)"
    flat = formatsbench.flatness(formats)
    ok_rows = [r for r in formats if "error" not in r]
    if not ok_rows:
        out.append((name, "not measured", "no formats run"))
    else:
        worst = max(ok_rows, key=lambda r: r["max_rss"])
        growing = [k for k, v in flat.items() if not v["flat"]]
        failed = sorted({r["who"] for r in formats if "error" in r})
        met = not growing and not failed and worst["max_rss"] <= RSS_LIMIT
        text = f"largest {worst['max_rss'] / 1e6:.0f} MB ({worst['who']}, {worst['figures']:,} figures)"
        if flat:
            sizes = next(iter(flat.values()))
            text += (f"; RSS from {sizes['small']:,} to {sizes['large']:,} figures grows in: "
                     f"{', '.join(growing) or 'none'}")
        else:
            text += "; flatness needs two sizes (--formats-sizes)"
        if failed:
            text += f"; failed: {', '.join(failed)}"
        out.append((name, _verdict(met) if flat else "not measured", text))

    name = f"store: load the {FULL:,}-figure export within {storebench.LOAD_TARGET:.0f} s"
    if load is None or "error" in load:
        out.append((name, "not measured", "no load" if load is None else f"failed: {load['error']}"))
    elif load["figures"] != FULL:
        out.append((name, "not measured", f"loaded {load['figures']:,} figures only: {load['seconds']:.1f} s"))
    else:
        out.append((name, _verdict(load["seconds"] <= storebench.LOAD_TARGET), f"{load['seconds']:.1f} s"))

    name = f"store: each typical query within {storebench.QUERY_TARGET:.0f} s (cold, a new process)"
    timed = [q for q in queries if "cold_seconds" in q]
    if not queries:
        out.append((name, "not measured", "no queries run"))
    else:
        typical = [q for q in timed if q["variant"] != "top gene"]
        slow = [q for q in typical if q["cold_seconds"] > storebench.QUERY_TARGET]
        failed = [q for q in queries if "cold_seconds" not in q]
        size = f" at {queries[0]['figures']:,} figures" if queries[0]["figures"] != FULL else ""
        text = f"{len(typical) - len(slow)} of {len(typical)} within{size}"
        if slow:
            text += "; slower: " + ", ".join(f"{q['query']} {q['cold_seconds']:.1f} s" for q in slow)
        if failed:
            text += "; failed: " + ", ".join(q["query"] for q in failed)
        top = [q for q in timed if q["variant"] == "top gene" and q["cold_seconds"] > storebench.QUERY_TARGET]
        if top:
            text += "; with the top gene (not counted): " + ", ".join(
                f"{q['query']} {q['cold_seconds']:.1f} s" for q in top)
        out.append((name, _verdict(not slow and not failed) if size == "" else "not measured", text))
    return out


VALIDATE_AT = 3_000
VALIDATE_FLOOR_RATIO = 8.0
VALIDATE_CORPUS_SECONDS = 600.0
QUERIES_AT = storebench.LIMITS_AT


def check_corpus_limits(validate_rows: list[dict[str, Any]], queries: list[dict[str, Any]]
                        ) -> list[tuple[str, str, str]]:
    """Return issue #12's lines: validation against the export floor and in 10 minutes, query times."""
    out: list[tuple[str, str, str]] = []
    validated = {r["figures"]: r for r in validate_rows
                 if r.get("what") == "validate" and r.get("input", "").startswith("synthetic") and "error" not in r}
    floors = {r["figures"]: r for r in validate_rows
              if r.get("what") == "floor" and r.get("jobs") == 1 and "error" not in r}
    name = (f"validation of {VALIDATE_AT:,} figures <= {VALIDATE_FLOOR_RATIO:.0f}x the export floor "
            f"(--jobs 1, same tree)")
    check, floor = validated.get(VALIDATE_AT), floors.get(VALIDATE_AT)
    if check is None or floor is None:
        out.append((name, "not measured",
                    f"no validation and floor export of {VALIDATE_AT:,} figures (--validate-sizes)"))
    else:
        ratio = check["seconds"] / floor["seconds"]
        out.append((name, _verdict(ratio <= VALIDATE_FLOOR_RATIO),
                    f"{ratio:.1f}x: validation {check['seconds']:.1f} s / floor.py --jobs 1 {floor['seconds']:.1f} s"))
    name = f"validation of the corpus ({FULL:,} figures) <= {VALIDATE_CORPUS_SECONDS / 60:.0f} min"
    if not validated:
        out.append((name, "not measured", "no synthetic validation"))
    else:
        size = max(validated)
        row = validated[size]
        predicted = row["seconds"] * FULL / size
        how = "measured" if size == FULL else f"extrapolated linearly from {size:,} figures ({row['seconds']:.1f} s)"
        out.append((name, _verdict(predicted <= VALIDATE_CORPUS_SECONDS),
                    f"{predicted:.0f} s, {how}; peak RSS {row['max_rss'] / 1e6:.0f} MB"))
    for kind, limit in (("look-up", storebench.LOOKUP_SECONDS), ("aggregate", storebench.AGGREGATE_SECONDS)):
        name = f"store: every {kind} query within {limit:.0f} s at {QUERIES_AT:,} figures (cold)"
        mine = [q for q in queries if storebench.kind(q["query"]) == kind]
        if not mine or mine[0]["figures"] != QUERIES_AT:
            out.append((name, "not measured", f"no queries on a {QUERIES_AT:,}-figure store (--store-size)"))
            continue
        slow = [q for q in mine if q.get("cold_seconds", float("inf")) > limit]
        text = f"{len(mine) - len(slow)} of {len(mine)} within"
        if slow:
            text += "; slower: " + ", ".join(
                f"{q['query']}{' (' + q['variant'] + ')' if q['variant'] else ''} "
                + (f"{q['cold_seconds']:.1f} s" if "cold_seconds" in q else "failed") for q in slow)
        out.append((name, _verdict(not slow), text))
    return out


def _verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def lines(results: list[tuple[str, str, str]]) -> str:
    """Return the summary as plain lines."""
    width = max((len(t) for t, _, _ in results), default=0)
    return "\n".join(f"  {status:<12} {target:<{width}}  {text}" for target, status, text in results)
