"""The explain stage: kinds and figures of a pair, and the substitutions behind "spun"."""

from __future__ import annotations

import random
import re
from pathlib import Path

import dupefind
from dupefind.explain import MOVED, changed_spans, describe, substitution_list
from dupefind.text import tokenize

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SEED_A = (SAMPLES / "000_313ab52531fab2be.txt").read_text("utf-8")
SEED_B = (SAMPLES / "001_633f16316fbadcf5.txt").read_text("utf-8")
ORIGINAL = (SAMPLES / "010_elm_street_community_garden.txt").read_text("utf-8")
OTHER = (SAMPLES / "061_library_of_things.txt").read_text("utf-8")


def relation(a: str, b: str) -> dupefind.Relation:
    pair = dupefind.compare(a, b)
    assert pair.duplicate
    assert pair.relation is not None
    return pair.relation


def test_seed_pair_is_spun_with_the_spinners_substitutions() -> None:
    found = relation(SEED_A, SEED_B)
    assert found.kinds == ("spun",)
    subs = {(s.a, s.b) for s in found.substitutions}
    # Substitutions named in the project brief, visible in the two seeds.
    assert ("buddies", "good friends") in subs
    assert 0.1 <= found.substituted <= 0.5
    assert found.identical + found.substituted <= 1.0


def test_verbatim_copy() -> None:
    found = relation(ORIGINAL, "A new headline\n\n" + ORIGINAL + "\n\nShare this post.")
    assert found.kinds == ("verbatim",)
    # (the passage's first sentence in B takes the new headline in: three words B adds)
    assert found.identical >= 0.98 and found.substitutions == ()
    found = relation(ORIGINAL, ORIGINAL.replace("\n\n", "\n  \n"))
    assert found.kinds == ("verbatim",) and found.identical == 1.0 and found.substitutions == ()


def test_partial_copy_is_labelled_partial() -> None:
    host = OTHER + "\n\n" + ORIGINAL + "\n\n" + OTHER.replace("the", "a")
    found = relation(ORIGINAL, host)
    assert "partial" in found.kinds
    assert found.coverage_a > 0.9 and found.coverage_b < 0.5


def test_reordered_copy_is_labelled_reordered() -> None:
    paragraphs = [p for p in ORIGINAL.split("\n\n") if p.strip()]
    shuffled = paragraphs[:]
    random.Random(3).shuffle(shuffled)
    assert shuffled != paragraphs
    found = relation(ORIGINAL, "\n\n".join(shuffled))
    assert "reordered" in found.kinds and found.moved >= 0.1


def test_hand_substitutions_are_listed_with_counts() -> None:
    spun = ORIGINAL.replace("garden", "plot").replace("neighbours", "locals")
    found = relation(ORIGINAL, spun)
    counts = {(s.a, s.b): s.count for s in found.substitutions}
    assert counts[("garden", "plot")] >= 2  # "garden" stands several times in the article
    assert ("neighbours", "locals") in counts
    # The most frequent first, ties in the order they first stand (the copy changes words one
    # for one, so that is their order in the original).
    def first(words: str) -> int:
        place = re.search(rf"\b{re.escape(words)}\b", ORIGINAL.lower())
        assert place is not None
        return place.start()

    assert list(found.substitutions) == sorted(found.substitutions, key=lambda s: (-s.count, first(s.a)))


def test_descriptions_render_the_figures() -> None:
    found = relation(SEED_A, SEED_B)
    line = describe(found)
    assert line.startswith("spun:") and "substituted" in line
    assert "buddies → good friends" in substitution_list(found, limit=50)


def test_a_shared_sentence_in_two_articles_is_a_passage_not_verbatim() -> None:
    """Two different articles sharing one 40-word sentence: the passage is identical, the pair
    is no verbatim copy (each text is covered far below a quarter)."""
    sentence = ("The council confirmed on Tuesday that the riverside path between the old mill and the "
                "railway bridge will stay closed for repairs until the end of March, after inspectors "
                "found that two sections of the embankment had started to slip toward the water.")
    a = ORIGINAL + "\n\n" + sentence + "\n\n" + SEED_A
    b = OTHER + "\n\n" + sentence + "\n\n" + (SAMPLES / "062_garden_birds_in_winter.txt").read_text("utf-8")
    found = relation(a, b)
    assert found.kinds == ("passage",)
    assert max(found.coverage_a, found.coverage_b) < 0.25 and found.identical == 1.0


def test_the_same_words_are_never_a_substitution() -> None:
    """A replacement whose two sides read the same (words the aligner set aside) counts as
    identical and is never listed as ``X → X``."""
    from dupefind.explain import explain
    from dupefind.models import Edit, Passage
    from dupefind.text import tokenize

    text = "reporting bugs is easy and reporting bugs helps everyone who uses the tool"
    tokens = tokenize(text)
    middle = text.index("and")
    edits = (Edit("replace", 0, middle, 0, middle), Edit("equal", middle, len(text), middle, len(text)))
    passage = Passage(0, len(text), 0, len(text), 1.0, len(tokens), len(tokens), edits=edits)
    found = explain([passage], tokens, tokens)
    assert found is not None
    assert found.identical == 1.0 and found.substituted == 0.0 and found.substitutions == ()
    assert found.kinds == ("verbatim",)


def test_identical_short_texts_are_wholly_alike() -> None:
    pair = dupefind.compare("Reporting bugs: please tell us.", "Reporting bugs: please tell us.")
    assert pair.duplicate and pair.similarity == 1.0 and pair.containment == 1.0
    other = dupefind.compare("Reporting bugs: please tell us.", "Ask anything at all.")
    assert not other.duplicate and other.similarity == 0.0
    for text in ("hello", "Reporting bugs: please tell us."):  # every pair says what kind it is
        alike = dupefind.compare(text, text)
        assert alike.relation is not None and alike.relation.kinds == ("verbatim",) and len(alike.passages) == 1


def test_the_same_words_left_between_edits_count_as_identical() -> None:
    """Words no edit holds, between two edits of a passage (a sentence the aligner set aside on
    both sides), count as identical when both sides read the same; other words there do not."""
    from dupefind.explain import explain
    from dupefind.models import Edit, Passage
    from dupefind.text import tokenize

    text = "the council met on tuesday. a common sentence runs here. the vote passed at night"
    first, second = text.index("a common"), text.index("the vote")
    edits = (Edit("equal", 0, first - 2, 0, first - 2), Edit("equal", second, len(text), second, len(text)))
    tokens = tokenize(text)
    passage = Passage(0, len(text), 0, len(text), 1.0, len(tokens), len(tokens), edits=edits)
    found = explain([passage], tokens, tokens)
    assert found is not None and found.identical == 1.0 and found.kinds == ("verbatim",)

    other = text.replace("a common sentence runs here", "an unlike sentence goes there")
    moved = len(other) - len(text)
    edits_b = (Edit("equal", 0, first - 2, 0, first - 2), Edit("equal", second, len(text), second + moved, len(other)))
    passage_b = Passage(0, len(text), 0, len(other), 0.8, len(tokens), len(tokens), edits=edits_b)
    found_b = explain([passage_b], tokens, tokenize(other))
    assert found_b is not None and found_b.identical < 0.7 and "verbatim" not in found_b.kinds


def test_identical_copies_of_a_syndicated_story_read_verbatim() -> None:
    """A story run in five places (one verbatim, one under a site's header, one reordered, one
    edited, one spun: ``tests/data/syndicated``) makes its sentences common to the collection,
    set aside inside the copies' passages: two byte-identical copies of it, or one under a
    header, still read wholly identical, not ``similar``."""
    folder = Path(__file__).resolve().parent / "data" / "syndicated"
    texts = {path.stem: path.read_text("utf-8") for path in sorted(folder.glob("*.txt"))}
    texts["copy"] = texts["orig"]
    report = dupefind.scan_texts(texts.items())
    for other in ("copy", "header"):
        pair = next(p for p in report.pairs if {p.a, p.b} == {"orig", other})
        assert pair.relation is not None
        assert pair.relation.identical == 1.0 and pair.relation.kinds == ("verbatim",)
        assert pair.relation.substitutions == ()


def test_substitutions_in_chinese_read_without_spaces() -> None:
    """CJK text has no spaces between words (each character is a token): a substitution shows
    ``企业 → 公司``, not ``企 业 → 公 司``."""
    from dupefind.explain import explain
    from dupefind.models import Edit, Passage
    from dupefind.text import tokenize

    a, b = "我们的企业很好而且发展很快。", "我们的公司很好而且发展很快。"
    edits = (Edit("equal", 0, 3, 0, 3), Edit("replace", 3, 5, 3, 5), Edit("equal", 5, len(a), 5, len(b)))
    ta, tb = tokenize(a), tokenize(b)
    found = explain([Passage(0, len(a), 0, len(b), 0.85, len(ta), len(tb), edits=edits)], ta, tb)
    assert found is not None
    assert [(s.a, s.b) for s in found.substitutions] == [("企业", "公司")]


def _edited(text: str, every: int, edit: str) -> str:
    """``text`` with one edit every ``every`` words: a word inserted after it, the word deleted,
    or the word changed (a different word each time, so no run of substitutions repeats)."""
    words = text.split(" ")
    out: list[str] = []
    for k, word in enumerate(words):
        if k % every != every // 2:
            out.append(word)
        elif edit == "insert":
            out += [word, f"indeed{k}"]
        elif edit == "change":
            out.append(f"other{k}")
    return " ".join(out)


def test_a_copy_with_a_few_words_edited_reads_edited() -> None:
    """A copy with one word in about twelve inserted, deleted or changed is an edited copy, not a
    rewrite (``similar``) nor a verbatim one; one with one word in four changed is not edited."""
    for edit in ("insert", "delete", "change"):  # (the figures are A's: words A has that B lacks)
        a, b = (_edited(ORIGINAL, 12, edit), ORIGINAL) if edit == "insert" else (ORIGINAL, _edited(ORIGINAL, 12, edit))
        found = relation(a, b)
        assert found.kinds == ("edited",), (edit, found)
        assert 0.80 <= found.identical < 0.95
    rewritten = relation(ORIGINAL, _edited(ORIGINAL, 4, "change"))
    assert "edited" not in rewritten.kinds and "verbatim" not in rewritten.kinds
    assert rewritten.identical < 0.80
    assert "edited" not in relation(SEED_A, SEED_B).kinds  # spun, not edited
    assert relation(ORIGINAL, _edited(ORIGINAL, 60, "change")).kinds == ("verbatim",)


def test_a_long_text_against_itself_is_one_wholly_identical_passage() -> None:
    """A book against itself (aligned in windows past ~16,000 words a side) read 86 % identical,
    with made-up substitutions; any text against itself is one passage, 100 % identical."""
    rng = random.Random(5)
    vocabulary = [f"{rng.choice('bcdfgklmnprst')}{rng.choice('aeiou')}{k}" for k in range(3000)]
    sentences = [" ".join(rng.choices(vocabulary, k=rng.randint(8, 25))).capitalize() + "." for _ in range(4000)]
    book = "\n\n".join(" ".join(sentences[k : k + 6]) for k in range(0, len(sentences), 6))
    pair = dupefind.compare(book, book)
    assert len(book.split()) > 60_000 and len(pair.passages) == 1
    (whole,) = pair.passages
    assert (whole.a_start, whole.b_start, whole.similarity) == (0, 0, 1.0) and whole.a_end == whole.b_end >= len(book) - 1
    assert all(edit.op == "equal" for edit in whole.edits)
    assert pair.relation is not None and pair.relation.kinds == ("verbatim",)
    assert pair.relation.identical == 1.0 and pair.relation.substitutions == ()


def _marked(a: str, b: str) -> tuple[list[str], list[str]]:
    """The words a report marks as differing, on each side, over every passage."""
    marked_a: list[str] = []
    marked_b: list[str] = []
    for passage in dupefind.compare(a, b).passages:
        spans_a, spans_b = changed_spans(passage)
        marked_a += [passage.a_text[s:e] for s, e in spans_a]
        marked_b += [passage.b_text[s:e] for s, e in spans_b]
    return marked_a, marked_b


def test_every_word_that_differs_is_marked_to_the_last() -> None:
    """An edit in a passage's last words, which the word alignment leaves unaligned, was drawn as
    identical; so were the seed pair's last sentence and a short text's first words in its host."""
    night = (SAMPLES / "040_night_trains_return.txt").read_text("utf-8")
    assert night.rstrip().endswith("carriage does the rest.")
    marked_a, marked_b = _marked(night, night.replace("carriage does the rest", "carriage did all the rest"))
    assert marked_a == ["does"] and marked_b == ["did all"]
    marked_a, marked_b = _marked(SEED_A, SEED_B)
    assert "show up" in marked_a and "more comprehensive range" in marked_a and "broader series" in marked_b
    short = ("Feeders placed about two metres from a hedge or shrub give birds somewhere to dash if a sparrowhawk "
             "appears, without offering cover for lurking cats.")
    host = "Our advice is simple. " + short + " Window strikes can be reduced by hanging feeders close to the glass."
    (passage,) = dupefind.compare(short, host).passages
    spans_a, spans_b = changed_spans(passage)
    assert spans_a == [] and all(passage.b_text[s:e] in "Our advice is simple." for s, e in spans_b)


def test_a_copy_marks_nothing_and_the_same_words_are_never_marked() -> None:
    assert _marked(ORIGINAL, ORIGINAL.replace("\n\n", "\n\n\n")) == ([], [])
    marked_a, marked_b = _marked(ORIGINAL, "A new headline\n\n" + ORIGINAL)  # what the copy adds, if in a passage
    assert marked_a == [] and set(marked_b) <= {"A new headline"}
    marked_a, marked_b = _marked(ORIGINAL, ORIGINAL.replace("garden", "plot"))
    assert marked_a and all("garden" in m for m in marked_a) and all("plot" in m for m in marked_b)


def test_two_paragraphs_that_changed_places_are_two_passages_and_read_reordered() -> None:
    """Two neighbouring paragraphs swapped touched in both texts and were joined (the joins
    chained over the whole article): one passage "100 % identical" over two texts in different
    orders, and no ``reordered``."""
    night = (SAMPLES / "040_night_trains_return.txt").read_text("utf-8")
    paragraphs = night.split("\n\n")
    for k in range(1, len(paragraphs) - 1):
        swapped = paragraphs[:k] + [paragraphs[k + 1], paragraphs[k]] + paragraphs[k + 2 :]
        pair = dupefind.compare(night, "\n\n".join(swapped))
        assert pair.relation is not None and pair.relation.moved > 0, k  # (the last two: 6 % of the words moved)
        assert ("reordered" in pair.relation.kinds) == (pair.relation.moved >= MOVED), k
        for p in pair.passages:  # a passage's two sides hold their words in the same order
            if p.similarity == 1.0:
                assert tokenize(p.a_text).words == tokenize(p.b_text).words, k


def test_the_figures_and_the_kind_do_not_depend_on_which_text_is_a() -> None:
    """The figures counted A's words only: a copy padded with a word in six read 100 % identical
    and ``verbatim`` one way, ``edited`` the other (in a scan, as the file names sorted)."""
    words = ORIGINAL.split(" ")
    padded = " ".join(w + (" really" if k % 6 == 5 else "") for k, w in enumerate(words))
    cut = " ".join(w for k, w in enumerate(words) if k % 7 != 6)
    for copy in (padded, cut):
        one, other = relation(ORIGINAL, copy), relation(copy, ORIGINAL)
        assert one.kinds == other.kinds == ("edited",)
        assert one.identical == other.identical < 0.95
        assert (one.coverage_a, one.coverage_b) == (other.coverage_b, other.coverage_a)


def test_an_edited_copy_with_its_paragraphs_shuffled_reads_reordered() -> None:
    """Fragments of a reworded stretch that changed places are joined into one passage; its word
    alignment still shows the move."""
    paragraphs = [p for p in ORIGINAL.split("\n\n") if p.strip()]
    random.Random(3).shuffle(paragraphs)
    words = "\n\n".join(paragraphs).split(" ")
    edited = " ".join(("quite " + w) if k % 5 == 2 else w for k, w in enumerate(words))
    found = relation(ORIGINAL, edited)
    assert "reordered" in found.kinds and found.moved >= 0.3
    assert relation(ORIGINAL, ORIGINAL.replace("garden", "plot")).moved == 0.0


def test_a_moved_title_joined_to_the_body_marks_nothing() -> None:
    """A passage that joins a moved phrase (a title put at the end) to the body holds its steps
    out of order in B: the walk's gap before the first step held the whole body, marked as
    differing although a later step aligns it word for word."""
    night = (SAMPLES / "040_night_trains_return.txt").read_text("utf-8")
    title = "Night trains are back across Europe and travellers are finally taking notice of them again"
    body = night.split("\n\n", 1)[1].rstrip()
    (passage,) = dupefind.compare(f"{title}\n\n{body}\n", f"{body}\n\n{title}\n").passages
    assert [e.op for e in passage.edits] == ["equal", "equal"] and passage.edits[0].b_start > passage.edits[1].b_start
    assert changed_spans(passage) == ([], [])


# Two short texts whose passage, joined over steps that change places in B, left the words
# between its steps paired one way in A's order and another in B's (a symmetry fuzzer's find).
SHUFFLED_A = "effect process gases planet's atmosphere absorb and re-emit infrared radiation, the temperature it would have without an atmosphere. The name is somewhat misleading, because a glass greenhouse keeps warm mostly by stopping warm air from escaping rather than by trapping radiation. The Sun gives off most of its energy as visible and near-infrared light, which passes mostly through the atmosphere and heats the surface. gas water carbon dioxide; methane, nitrous oxide ozone"
SHUFFLED_B = 'effect process temperature Sun of its energy visible near-infrared the atmosphere reaches and heats the surface. and re-emit result the planet radiates to space mainly from higher, colder layers of the atmosphere, and the surface gas water carbon methane, nitrous oxide ozone The Intergovernmental Panel on Climate Change has concluded that human influence is unequivocally the cause of the observed warming of the atmosphere, ocean and land since the mid-twentieth century.'


def test_the_figures_of_a_passage_whose_steps_change_places_are_the_same_either_way() -> None:
    forward, backward = dupefind.compare(SHUFFLED_A, SHUFFLED_B), dupefind.compare(SHUFFLED_B, SHUFFLED_A)
    (passage,) = forward.passages
    b_starts = [e.b_start for e in passage.edits]
    assert b_starts != sorted(b_starts)  # its steps are out of order in B
    assert forward.relation is not None and backward.relation is not None
    assert (forward.relation.kinds, forward.relation.identical, forward.relation.substituted) == (
        backward.relation.kinds, backward.relation.identical, backward.relation.substituted)


def test_substitutions_are_ranked_the_same_either_way() -> None:
    """"in → of" and "of → in" tie in count: the one read first comes first, whichever text is A."""
    text = (Path(__file__).resolve().parents[1] / "samples" / "040_night_trains_return.txt").read_text(encoding="utf-8")
    first_in, first_of = text.index(" in "), text.index(" of ")
    assert abs(first_in - first_of) > 40
    copy = list(text)
    copy[first_in : first_in + 4], copy[first_of : first_of + 4] = list(" of "), list(" in ")
    changed = "".join(copy)
    forward, backward = dupefind.compare(text, changed), dupefind.compare(changed, text)
    assert forward.relation is not None and backward.relation is not None
    ranked = [(s.a, s.b, s.count) for s in forward.relation.substitutions]
    assert {("in", "of", 1), ("of", "in", 1)} <= set(ranked)
    assert ranked == [(s.b, s.a, s.count) for s in backward.relation.substitutions]
