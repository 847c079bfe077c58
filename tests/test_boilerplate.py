"""Boilerplate: segments shared by many documents are set aside, unless they are the content."""

from __future__ import annotations

import numpy as np
from conftest import sample_text

from dupefind.boilerplate import (
    WIDESPREAD,
    boilerplate_mask,
    common_held,
    find_commons,
    segment_hashes,
    segment_keys,
    spared_beside,
)
from dupefind.text import hash_words, tokenize

FOOTER = ("Share this story with your friends on any of the networks that you use.\n"
          "All of the material on this page is protected by the law of copyright.")
ARTICLES = [sample_text(name) for name in (
    "010_elm_street_community_garden.txt", "013_how_to_start_a_community_garden.txt",
    "020_tidal_power_explainer.txt", "040_night_trains_return.txt", "053_carers_drop_in_opens.txt",
    "051_mental_health_first_aiders_at_work.txt")]


def keys_of(texts: list[str]) -> list[np.ndarray]:
    return [segment_keys(hash_words(t)) for t in texts]


def masked_words(text: str, commons: object) -> list[str]:
    tokens = tokenize(text)
    mask = boilerplate_mask(hash_words(text), commons)  # type: ignore[arg-type]
    assert mask.dtype == bool and mask.shape == (len(tokens),)
    return [w for w, m in zip(tokens.words, mask) if m]


def test_shared_footer_is_masked_where_it_is_a_minority() -> None:
    texts = [a + "\n\n" + FOOTER + "\n" for a in ARTICLES[:5]]
    commons = find_commons(keys_of(texts), min_docs=5)
    footer_words = list(tokenize(FOOTER).words)
    for text in texts:
        assert masked_words(text, commons) == footer_words
    # A sixth document with the footer, not counted, is masked too; one without it is untouched.
    assert masked_words(ARTICLES[5] + "\n" + FOOTER, commons) == footer_words
    assert masked_words(ARTICLES[5], commons) == []


def test_shared_sentence_inside_a_line_is_masked() -> None:
    line = "Subscribe to our newsletter for more stories like this one."
    # (010 is left out: its last line has no full stop, so the notice would join its sentence.)
    texts = [a.rstrip() + " " + line + " Thanks for reading." for a in ARTICLES[1:6]]
    commons = find_commons(keys_of(texts), min_docs=5)
    masked = masked_words(texts[0], commons)
    assert masked == list(tokenize(line + " Thanks for reading.").words)


def test_below_min_docs_nothing_is_masked() -> None:
    texts = [a + "\n" + FOOTER for a in ARTICLES[:4]]
    commons = find_commons(keys_of(texts), min_docs=5)
    assert len(commons.keys) == 0
    assert all(masked_words(t, commons) == [] for t in texts)


def test_common_segments_are_kept_when_they_are_half_the_document() -> None:
    texts = [a + "\n" + FOOTER for a in ARTICLES[:5]]
    commons = find_commons(keys_of(texts), min_docs=5)
    footer_words = len(tokenize(FOOTER).words)
    # A syndicated notice: the common lines are most of its words, so they are its content.
    notice = "Local notice for readers.\n" + FOOTER
    assert len(tokenize(notice).words) < 2 * footer_words
    assert masked_words(notice, commons) == []
    # Exactly half is "half or more": kept as well.
    half = " ".join(f"word{n}" for n in range(footer_words)) + "\n" + FOOTER
    assert masked_words(half, commons) == []
    # One word more than the footer and it is a minority again.
    more = " ".join(f"word{n}" for n in range(footer_words + 1)) + "\n" + FOOTER
    assert len(masked_words(more, commons)) == footer_words


def test_find_commons_counts_documents_not_occurrences() -> None:
    repeated = ARTICLES[0] + ("\n" + FOOTER) * 6
    once = ARTICLES[1] + "\n" + FOOTER
    commons = find_commons(keys_of([repeated, once, ARTICLES[2]]), min_docs=3)
    assert len(commons.keys) == 0
    commons = find_commons(keys_of([repeated, once, ARTICLES[2]]), min_docs=2)
    assert len(commons.keys) == 2  # the footer's two lines
    for key in segment_keys(hash_words(FOOTER)):
        assert int(key) in commons


def test_single_words_are_never_boilerplate() -> None:
    texts = [a + "\nAdvertisement\n" for a in ARTICLES[:5]]
    commons = find_commons(keys_of(texts), min_docs=5)
    assert "advertisement" not in masked_words(texts[0], commons)


def test_segment_keys_are_sorted_unique_and_ignore_case_and_spacing() -> None:
    keys = segment_keys(hash_words(FOOTER))
    assert keys.dtype == np.uint64 and len(keys) == 2 and keys[0] < keys[1]
    shouted = FOOTER.upper().replace(" ", "  ")
    assert np.array_equal(keys, segment_keys(hash_words(shouted)))
    assert len(find_commons([], min_docs=2).keys) == 0


def test_boilerplate_in_a_pair_is_what_both_hold_and_set_aside_unless_widespread() -> None:
    texts = [a + "\n\n" + FOOTER + "\n" for a in ARTICLES[:5]]
    commons = find_commons(keys_of(texts), min_docs=5)
    footer, keeps = common_held(segment_hashes(hash_words(texts[0])), commons)
    assert len(footer) == 2 and not keeps  # its two footer lines, a minority: set aside
    notice, notice_keeps = common_held(segment_hashes(hash_words("Local notice for readers.\n" + FOOTER)), commons)
    assert notice_keeps and np.array_equal(notice, footer)
    plain, plain_keeps = common_held(segment_hashes(hash_words(ARTICLES[5])), commons)
    assert len(plain) == 0 and not plain_keeps
    # Both hold the footer and set it aside: furniture, set aside.
    assert len(spared_beside(footer, footer, False, commons)) == 0
    # The partner keeps it (it is the partner's content), or does not hold it at all and is
    # related (it may hold it reworded): evidence, and no longer masked.
    assert np.array_equal(spared_beside(footer, notice, True, commons), footer)
    assert np.array_equal(spared_beside(footer, plain, False, commons, related=True), footer)
    assert len(spared_beside(footer, plain, False, commons)) == 0
    assert masked_words(texts[0], commons) != [] and masked_words(texts[0], commons.sparing(footer)) == []
    # Found in WIDESPREAD times min_docs documents, the footer is furniture in every pair.
    widespread = find_commons(keys_of(texts * WIDESPREAD), min_docs=5)
    assert np.array_equal(widespread.widespread, footer)
    assert len(spared_beside(footer, notice, True, widespread)) == 0
    assert len(spared_beside(footer, plain, False, widespread, related=True)) == 0
