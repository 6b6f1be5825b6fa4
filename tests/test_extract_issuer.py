"""A press release is about its issuer: "the company" in it is the company on the dateline,
even when the registry does not know it and the release names a registered partner more
often.  Releases written for these tests."""

from __future__ import annotations

import pytest

PARTNER_NOISE = " TSMC builds its chips. TSMC packages them. TSMC also tests them."


def investees(claims) -> set[str]:
    return {p.name for c in claims if c.deal_type == "investment" for p in c.parties[1:]}


@pytest.mark.parametrize(
    ("dateline", "issuer"),
    [
        (
            "SAN JOSE, Calif., May 4, 2026 /PRNewswire/ -- Lumora Systems, Inc., a maker of "
            "optical interconnects for AI clusters, today announced general availability.",
            "Lumora Systems",
        ),
        (
            "OSLO, Norway, March 3, 2026 -- Quarry Data AS, the Nordic inference cloud, "
            "announced its first customer.",
            "Quarry Data",
        ),
        (
            "AUSTIN, Texas--(BUSINESS WIRE)--June 9, 2026 -- Kestrel Compute (Kestrel), a "
            "provider of liquid-cooled racks, today announced a new plant.",
            "Kestrel Compute",
        ),
        (
            "MUNICH — Vantor Labs GmbH, which designs chiplets for inference, has announced "
            "a second tape-out.",
            "Vantor Labs",
        ),
    ],
)
def test_the_company_in_a_release_is_its_issuer(extract, dateline, issuer):
    text = (
        f"{dateline}\n\nFounded in 2021, the company is backed by Lux Capital and Samsung."
        + PARTNER_NOISE
    )
    assert investees(extract(text)) == {issuer}


def test_a_registered_issuer_stays_the_company(extract):
    text = (
        "SUNNYVALE, Calif., May 4, 2026 /PRNewswire/ -- Cerebras Systems, the wafer-scale "
        "chipmaker, today announced a new data centre.\n\nThe company is backed by Benchmark "
        "and Fidelity." + PARTNER_NOISE
    )
    assert investees(extract(text)) == {"Cerebras"}


def test_a_news_story_without_a_dateline_keeps_its_most_named_company(extract):
    text = (
        "Lumora Systems is one of several startups working with TSMC, analysts said. TSMC "
        "builds its chips. TSMC packages them. The company is backed by Lux Capital."
    )
    assert "Lumora Systems" not in investees(extract(text))
