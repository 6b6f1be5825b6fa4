"""Licensing direction: the licensee (who pays for the rights) first, the licensor second.

Reports name the direction in three ways: the verb ("X licenses Y's cores", "Y licensed its
designs to X"), and, when the sentence only says "an agreement with", the party whose
technology is named, which is the one granting rights.  Sentences written for these tests.
"""

from __future__ import annotations

import pytest

from chipwire.pipeline.extract.deal_parts import DealClaim


def licensing(claims: list[DealClaim]) -> list[tuple[str, str]]:
    found = [c for c in claims if c.deal_type == "licensing"]
    assert len(found) == 1, claims
    return [(p.name, p.role) for p in found[0].parties]


@pytest.mark.parametrize(
    ("text", "licensee", "licensor"),
    [
        # the verb decides
        (
            "MediaTek will license Tenstorrent's RISC-V cores for its next phone chip.",
            "MediaTek",
            "Tenstorrent",
        ),
        ("Arm licensed its Neoverse designs to Marvell last spring.", "Marvell", "Arm"),
        ("Rambus has licensed its memory interface IP to Qualcomm.", "Qualcomm", "Rambus"),
        (
            "Synopsys is licensing the interconnect core to chipmaker Marvell.",
            "Marvell",
            "Synopsys",
        ),
        # "an agreement with": the named technology's owner grants the rights
        (
            "SiFive entered into a licensing agreement with Broadcom covering SiFive's vector "
            "processor designs.",
            "Broadcom",
            "SiFive",
        ),
        (
            "Tenstorrent announced a license agreement with Marvell for Tenstorrent's chiplet "
            "technology.",
            "Marvell",
            "Tenstorrent",
        ),
        (
            "Under the licensing deal, Qualcomm gets access to Alphawave's SerDes patents.",
            "Qualcomm",
            "Alphawave",
        ),
        (
            "Imagination Technologies signed a multi-year licensing pact with MediaTek, giving it "
            "Imagination Technologies' GPU architecture.",
            "MediaTek",
            "Imagination Technologies",
        ),
        (
            "Cadence and Esperanto struck a licensing agreement for Esperanto’s inference "
            "software.",
            "Cadence",
            "Esperanto Technologies",
        ),
        # hard negatives: a possessive that names no technology, or both parties' technology
        ("Broadcom's licensing agreement with Rambus runs through 2030.", "Broadcom", "Rambus"),
        (
            "Marvell signed a licensing deal with Synopsys, whose tools Marvell's engineers "
            "already use.",
            "Marvell",
            "Synopsys",
        ),
        (
            "Qualcomm's licensing agreement with Arm lets Qualcomm's designs use Arm's "
            "architecture.",
            "Qualcomm",
            "Arm",
        ),
    ],
)
def test_licensee_first_and_licensor_second(extract, text, licensee, licensor):
    assert licensing(extract(text)) == [(licensee, "licensee"), (licensor, "licensor")]


def test_a_possessive_outside_the_pair_changes_nothing(extract):
    # the third company's technology is named; the two parties keep the sentence's order
    text = "MediaTek signed a licensing agreement with Synopsys to speed up work on Arm's cores."
    claims = extract(text)
    roles = [[(p.name, p.role) for p in c.parties] for c in claims if c.deal_type == "licensing"]
    assert [("MediaTek", "licensee"), ("Synopsys", "licensor")] in roles


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("Arm licensed its Neoverse designs to Marvell last spring.", True),
        ("Qualcomm will license Alphawave's SerDes patents for its data-centre chips.", True),
        ("Broadcom's licensing agreement with Rambus runs through 2030.", False),
        ("Marvell and Synopsys announced a licensing deal on Tuesday.", False),
    ],
)
def test_whether_the_sentence_states_who_licenses_from_whom(extract, text, stated):
    (claim,) = [c for c in extract(text) if c.deal_type == "licensing"]
    assert claim.direction_stated is stated


def test_a_sentence_stating_the_direction_decides_over_a_headline_guess(extract):
    text = (
        "Tenstorrent Signs Chiplet Licensing Agreement With MediaTek\n\n"
        "MediaTek will license Tenstorrent's chiplet technology for its next server part, "
        "the companies said on Monday."
    )
    assert licensing(extract(text)) == [("MediaTek", "licensee"), ("Tenstorrent", "licensor")]


def test_acquisitions_state_their_direction_by_the_verb(extract):
    (claim,) = [c for c in extract("Qualcomm agreed to acquire Alphawave.") if c.deal_type]
    assert claim.direction_stated
