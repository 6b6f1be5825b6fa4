"""Deal reports of the demo store against the sample site's answer key (``MANIFEST.json``).

The sample site's manifest lists, per page, the deals a careful reader finds there: type,
parties in order (payer, acquirer, licensee or customer first) and whether the deal is
background.  This runs the demo end to end into a scratch store (or reads an existing one
with ``--data-dir``) and scores every deal report (a ``deal_source`` row: one deal as one
article reports it) against the page's answer: a report matches a listed deal of the same
type and the same set of parties.  It prints precision and recall, how many matched
reports have their parties in the listed order (the roles), and the background flags.

The two answer keys count a funding round differently: the manifest lists one ``funding``
record holding every participant, the annotation rules chipwire follows (one record for
the raiser and its leads, one ``investment`` record per other participant) split it.  So
before scoring, a page's investment reports into a raiser are folded into that raiser's
funding report, and the folded record is what is compared.

Run from the project root: ``.venv/bin/python -m bench.demo_deals [--data-dir DIR]
[--verbose]``.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
from collections import Counter
from pathlib import Path

from chipwire.spiders.samplesite import SITE_DIR

Key = tuple[str, str, frozenset[str]]  # (page path, deal type, party names)


def answer_key() -> dict[Key, dict]:
    manifest = json.loads((SITE_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
    key: dict[Key, dict] = {}
    for page in manifest["pages"]:
        for deal in page.get("deals", []):
            names = frozenset(p["name"].casefold() for p in deal["parties"])
            key[(page["path"], deal["type"], names)] = deal
    return key


def reports(database: Path) -> dict[Key, dict]:
    """Every deal report in the store, keyed like the answer key (path taken from the URL)."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT a.url, d.id, d.deal_type, d.is_background, d.year, p.name, p.position "
            "FROM deal_source s JOIN article a ON a.id = s.article_id "
            "JOIN deal d ON d.id = s.deal_id JOIN deal_party p ON p.deal_id = d.id "
            "ORDER BY s.id, p.position"
        ).fetchall()
    found: dict[tuple[str, int], dict] = {}
    for url, deal_id, deal_type, background, year, name, _ in rows:
        path = url.split("/", 3)[3] if url.count("/") >= 3 else url
        report = found.setdefault(
            (path, deal_id),
            {"path": path, "type": deal_type, "background": bool(background), "year": year},
        )
        report.setdefault("parties", []).append(name)
    return {
        (r["path"], r["type"], frozenset(n.casefold() for n in r["parties"])): r
        for r in _fold_rounds(list(found.values()))
    }


def _fold_rounds(found: list[dict]) -> list[dict]:
    """A page's investments into a raiser joined to the raiser's funding report."""
    funding = {(r["path"], r["parties"][0]): r for r in found if r["type"] == "funding"}
    kept = []
    for report in found:
        target = funding.get((report["path"], report["parties"][-1]))
        if report["type"] == "investment" and target is not None:
            target["parties"] += [n for n in report["parties"][:-1] if n not in target["parties"]]
            continue
        kept.append(report)
    return kept


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, help="an existing demo store (default: run it)")
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="chipwire-demo-") as scratch:
        data_dir = args.data_dir
        if data_dir is None:
            from chipwire.pipeline.config import Settings
            from chipwire.pipeline.demo import demo_job

            data_dir = Path(scratch)
            demo_job(Settings(data_dir=data_dir))
        found = reports(data_dir / "demo" / "chipwire.db")
    gold = answer_key()
    matched = [key for key in found if key in gold]
    # Roles: the order of the parties (payer first).  A funding round's order differs by
    # convention between the two keys (the manifest lists the raiser last), so it is left out.
    ordered = [key for key in matched if key[1] != "funding"]
    in_order = sum(
        [p.casefold() for p in found[key]["parties"]]
        == [p["name"].casefold() for p in sorted(gold[key]["parties"], key=lambda p: p["position"])]
        for key in ordered
    )
    background = sum(found[key]["background"] == gold[key]["is_background"] for key in matched)
    years = sum(
        found[key]["year"] == gold[key]["year"] for key in matched if gold[key]["is_background"]
    )
    gold_background = sum(1 for key in matched if gold[key]["is_background"])
    precision = len(matched) / len(found) if found else 0.0
    recall = len(matched) / len(gold) if gold else 0.0
    print("deal reports of the demo store against the sample site's MANIFEST.json")
    print(f"  reports {len(found)}, answer-key deals {len(gold)}, matched {len(matched)}")
    print(f"  precision {precision:.3f}  recall {recall:.3f}  (type and party set)")
    print(f"  parties in the listed order (roles), funding aside: {in_order} of {len(ordered)}")
    print(
        f"  background flag right: {background} of {len(matched)}; year right on "
        f"{years} of {gold_background} background deals"
    )
    wrong = Counter(key[1] for key in found if key not in gold)
    missed = Counter(key[1] for key in gold if key not in found)
    print(f"  false reports by type: {dict(wrong)}; missed by type: {dict(missed)}")
    if args.verbose:
        for key in sorted(k for k in found if k not in gold):
            print(f"  FP {key[0]}: {key[1]} {found[key]['parties']}")
        for key in sorted(k for k in gold if k not in found):
            print(f"  FN {key[0]}: {key[1]} {sorted(key[2])}")


if __name__ == "__main__":
    main()
