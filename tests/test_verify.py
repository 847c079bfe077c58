"""Verify: exact Jaccard and containments, and the verdict (with the short-text rule)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from conftest import sample_text
from hypothesis import given
from hypothesis import strategies as st
from test_align_sentences import reworded

from dupefind import Config, compare
from dupefind.boilerplate import Commons
from dupefind.text import segments, tokenize
from dupefind.verify import (
    _MARKUP,
    Overlap,
    Prepared,
    is_duplicate,
    markup_counts,
    markup_spans,
    overlap,
    passage_needed,
    prepare,
    rewritten_enough,
)


def shingled(ids: list[int], *, short: bool = False) -> Prepared:
    """A prepared document with hand-made shingles (the text does not matter to ``overlap``)."""
    array = np.array(sorted(set(ids)), dtype=np.uint32)
    return Prepared("doc", "", tokenize(""), np.zeros(0, dtype=bool), array, short)


def prep(text: str, *, min_words: int = 50, doc_id: str = "doc") -> Prepared:
    return prepare(doc_id, text, commons=Commons(), scheme="stopwords", ngram=8, min_words=min_words)


@pytest.mark.parametrize(("a", "b", "jaccard", "cont_a", "cont_b"), [
    ([1, 2, 3, 4], [3, 4, 5, 6, 7, 8], 2 / 8, 2 / 4, 2 / 6),
    ([1, 2, 3], [1, 2, 3], 1.0, 1.0, 1.0),
    ([1, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 2 / 10, 1.0, 2 / 10),
    ([1, 2, 3], [4, 5, 6], 0.0, 0.0, 0.0),
    ([2**32 - 1, 0], [0], 0.5, 0.5, 1.0),
])
def test_overlap_figures(a: list[int], b: list[int], jaccard: float, cont_a: float, cont_b: float) -> None:
    figures = overlap(shingled(a), shingled(b))
    assert figures.similarity == pytest.approx(jaccard)
    assert figures.containment_a == pytest.approx(cont_a)
    assert figures.containment_b == pytest.approx(cont_b)
    assert figures.containment == pytest.approx(max(cont_a, cont_b))
    swapped = overlap(shingled(b), shingled(a))
    assert (swapped.similarity, swapped.containment_a, swapped.containment_b) == (
        figures.similarity, figures.containment_b, figures.containment_a)


@pytest.mark.parametrize(("a", "b"), [([], []), ([], [1, 2, 3]), ([5], [])])
def test_empty_sets_give_zero_not_one(a: list[int], b: list[int]) -> None:
    assert overlap(shingled(a), shingled(b)) == Overlap(0.0, 0.0, 0.0)


def test_verdict_uses_the_larger_containment() -> None:
    small, large = shingled([1, 2, 3, 4, 5]), shingled(list(range(1, 51)))
    figures = overlap(small, large)
    assert figures.similarity == pytest.approx(0.1)
    assert is_duplicate(small, large, figures, threshold=1.0)
    assert not is_duplicate(shingled([1, 2, 3, 4, 90]), large,
                            overlap(shingled([1, 2, 3, 4, 90]), large), threshold=0.81)


def test_different_short_texts_are_not_duplicates() -> None:
    a = prep("The meeting moved to Tuesday.")
    b = prep("Bring a coat, it will rain.")
    assert a.short and b.short
    figures = overlap(a, b)
    assert figures.similarity == 0.0
    assert not is_duplicate(a, b, figures, threshold=0.01)


def test_identical_short_texts_are_duplicates() -> None:
    a = prep("The meeting moved to Tuesday.")
    b = prep("THE  meeting moved to tuesday!")
    assert a.short
    assert is_duplicate(a, b, overlap(a, b), threshold=1.0)
    assert overlap(a, b).similarity == 1.0


def test_a_short_text_inside_a_long_one_is_a_copy_by_its_passage_not_by_containment() -> None:
    long = sample_text("040_night_trains_return.txt")
    short = " ".join(long.split()[:30])
    a, b = prep(short), prep(long)
    assert a.short and not b.short
    # A short text's few shingles tell nothing: containment alone never makes it a copy ...
    assert not is_duplicate(a, b, overlap(a, b), threshold=0.01)
    # ... a passage of half its words does (here all of them).
    pair = compare(short, long)
    assert pair.duplicate and pair.relation is not None and pair.relation.coverage_a == 1.0
    # Two short texts sharing a 12-word sentence: half of a 24-word text, not of a 32-word one.
    sentence = " ".join(long.split()[100:112])
    assert compare(f"{sentence} " + " ".join(long.split()[200:212]), sentence + " and so on.").duplicate
    assert not compare(f"{sentence} " + " ".join(long.split()[200:228]), " ".join(long.split()[300:320]) + f" {sentence}").duplicate


@pytest.mark.parametrize(("words_a", "words_b", "passage_words", "needed"), [
    (1000, 1000, 30, 30),  # long texts: --passage-words
    (59, 1000, 30, 30),  # half of 59, rounded up, is 30
    (58, 1000, 30, 29),
    (1000, 48, 30, 24),  # the shorter text decides
    (20, 20, 30, 12),  # never under 12
    (5, 5, 30, 12),
    (48, 60, 0, 0),  # the passage rules off
    (10, 10, 8, 8),  # nor more than asked
])
def test_the_words_a_passage_needs_scale_with_a_short_text(words_a: int, words_b: int, passage_words: int,
                                                           needed: int) -> None:
    assert passage_needed(words_a, words_b, passage_words) == needed


def test_texts_without_words_are_not_duplicates() -> None:
    """Two texts with no words at all share nothing: "----" is not a copy of "* * *"."""
    a, b = prep("----"), prep("* * *")
    assert len(a.tokens) == len(b.tokens) == 0
    assert not is_duplicate(a, b, overlap(a, b), threshold=0.2)


def test_prepare_sets_boilerplate_aside_before_shingling() -> None:
    text = sample_text("040_night_trains_return.txt")
    plain = prep(text)
    assert not plain.short and plain.id == "doc" and plain.text == text
    assert not plain.boilerplate.any()
    assert len(plain.shingles) > 100
    assert len(plain.tokens) == len(plain.boilerplate)


def test_a_reworded_sentence_stretch_inside_longer_texts_is_a_copy() -> None:
    """No 30 identical words in a row, little shared shingling: the reworded paragraph is still
    reported, because its passage shares most of its content words."""
    night = next(p for p in sample_text("040_night_trains_return.txt").split("\n\n") if len(p.split()) > 60)
    text_a = sample_text("013_how_to_start_a_community_garden.txt") + "\n\n" + night
    text_b = sample_text("053_carers_drop_in_opens.txt") + "\n\n" + reworded(night, random.Random(3))
    pair = compare(text_a, text_b)
    assert pair.containment < Config().threshold
    assert all(p.identical_words < Config().passage_words for p in pair.passages)
    assert pair.duplicate
    assert not compare(text_a, text_b, Config(passage_words=0)).duplicate


@pytest.mark.parametrize("text", ["One line.\nTwo lines! Three? four\n\nfive", "Stra\u00dfe und Caf\u00e9. Noch eine Zeile\n\u65e5\u672c\u8a9e\u306e\u6587\u3002 end", ""])
def test_prepare_keeps_the_segments_the_sentence_pass_needs(text: str) -> None:
    # The aligner takes its sentences from these instead of finding the segments again.
    prepared = prep(text)
    assert prepared.segment_starts == tuple(span.start for span in segments(text, prepared.tokens))


def _sentences(name: str, low: int, high: int) -> list[str]:
    return [s + "." for s in sample_text(name).replace("\n", " ").split(". ") if low <= len(s.split()) <= high]


def test_one_shared_sentence_is_not_a_copy_two_are() -> None:
    """A sentence of 20-29 words shared by two longer texts (the same quote in two articles on
    one story) is not a copy: rewritten passages count when together they are as long as a
    copied passage must be (``passage_words`` words on each side)."""
    first, second = _sentences("040_night_trains_return.txt", 22, 23)[:2]
    garden, carers = sample_text("013_how_to_start_a_community_garden.txt"), sample_text("053_carers_drop_in_opens.txt")
    one = compare(garden + "\n\n" + first, carers + "\n\n" + first)
    assert one.passages and all(p.identical_words < Config().passage_words for p in one.passages)
    assert not one.duplicate
    half, cut = len(garden) // 2, len(carers) // 2
    two = compare(garden[:half] + "\n\n" + first + "\n\n" + garden[half:] + "\n\n" + second,
                  carers[:cut] + "\n\n" + first + "\n\n" + carers[cut:] + "\n\n" + second)
    assert len(two.passages) == 2 and all(p.identical_words < Config().passage_words for p in two.passages)
    assert two.duplicate
    assert not compare(garden + "\n\n" + first, carers + "\n\n" + first, Config(passage_words=0)).duplicate


def _condensed(paragraph: str) -> str:
    """Every other word of each sentence kept, and those swapped in pairs: half as long, almost
    no two identical words in a row, most content words kept (a condensing rewrite)."""
    out = []
    for sentence in (s.split() for s in paragraph.split(". ") if s.strip()):
        kept = sentence[::2]
        for k in range(0, len(kept) - 1, 2):
            kept[k], kept[k + 1] = kept[k + 1], kept[k]
        out.append(" ".join(kept))
    return ". ".join(out) + "."


def test_a_rewrite_that_condenses_its_source_is_a_copy() -> None:
    """A paragraph of ~50 words reworded into ~27 inside two longer texts: its passage is short
    of ``passage_words`` on the copy's side, but the two sides average more, and a condensing
    rewrite is shorter than its source by what it left out (:func:`rewritten_enough`)."""
    paragraph = next(p for p in sample_text("040_night_trains_return.txt").split("\n\n") if 48 <= len(p.split()) <= 60)
    copy = _condensed(paragraph)
    garden, carers = sample_text("013_how_to_start_a_community_garden.txt"), sample_text("053_carers_drop_in_opens.txt")
    pair = compare(garden + "\n\n" + copy, carers + "\n\n" + paragraph)
    assert pair.containment < Config().threshold
    assert len(pair.passages) == 1
    passage = pair.passages[0]
    assert passage.identical_words < Config().passage_words  # not the identical-words rule
    assert passage.words_a < Config().passage_words <= (passage.words_a + passage.words_b) / 2
    assert pair.duplicate
    assert rewritten_enough(27, 33, 30) and not rewritten_enough(27, 32, 30)


def test_one_sentence_reworded_at_more_length_is_not_a_copy() -> None:
    """One sentence of 24 words said again in 38 (the same news line in two articles on one
    story) averages less than ``passage_words``: not a copy."""
    garden, carers = sample_text("013_how_to_start_a_community_garden.txt"), sample_text("053_carers_drop_in_opens.txt")
    short = ("Officials said the new rules on parking near the old town would take effect in the spring after a "
             "consultation with local shop owners.")
    longer = ("The new parking rules for the streets around the old town will take effect next spring, officials said "
              "on Monday, once the council has finished a consultation with local shop owners and residents, many of "
              "whom opposed them.")
    pair = compare(garden + "\n\n" + short, carers + "\n\n" + longer)
    assert pair.passages  # the sentence is found, and weighed
    assert not pair.duplicate


#: A banner an ad network (or a crawler rewriting links) puts into unrelated pages alike.
_BANNER = ('<NOSCRIPT> <a href="http://crawl.example.org/cache/page/view?href=http%3A%2F%2Fads.example.com%2Fads'
           '%2Fserve%2Fbanner.pl&token=0acba44edf9b96dc5c2c2062335af51e&zone=top&slot=leaderboard&site=news" '
           'TARGET="_top"><IMG SRC="http://ads.example.com/ads/serve/banner.pl?page=01;zone=news728;slot=leaderboard;'
           'site=news;format=image;size=728x90" WIDTH=728 HEIGHT=90 BORDER=0 ALT="advertisement banner"></A> '
           '</NOSCRIPT>')


def test_markup_counts_the_words_inside_tags_and_urls() -> None:
    text = 'Plain words <a href="http://x.org/a/b">link text</a> then www.example.com/page and more'
    tokens = tokenize(text)
    counts = markup_counts(text, tokens)
    assert counts is not None and len(counts) == len(tokens) + 1
    inside = [word for k, word in enumerate(tokens.words) if counts[k + 1] > counts[k]]
    assert inside == ["a", "href", "http", "x", "org", "a", "b", "a", "www", "example", "com", "page"]
    assert markup_counts("No markup here, 3 < 4 and 5 > 2.", tokenize("No markup here, 3 < 4 and 5 > 2.")) is None


def test_a_shared_banner_is_not_a_copy_a_shared_paragraph_with_a_link_is() -> None:
    """Two unrelated pages that carry the same ad tag share a long run of identical words, all of
    it markup: not evidence of a copy. A copied paragraph that holds a link still is."""
    garden, carers = sample_text("013_how_to_start_a_community_garden.txt"), sample_text("053_carers_drop_in_opens.txt")
    banner = compare(garden + "\n\n" + _BANNER, carers + "\n\n" + _BANNER)
    assert any(p.identical_words >= Config().passage_words for p in banner.passages)  # the rule decides
    assert not banner.duplicate
    night = next(p for p in sample_text("040_night_trains_return.txt").split("\n\n") if len(p.split()) > 60)
    linked = night.replace(". ", " (see https://trains.example.org/night/timetable). ", 1)
    paragraph = compare(garden + "\n\n" + linked, carers + "\n\n" + linked)
    assert paragraph.containment < Config().threshold
    assert paragraph.duplicate


_MARKUP_PIECES = ["https://", "http://", "ftp://", "HtTpS://", "www.", "WwW.", "ww.", "w", "<", ">", "<a href=",
                  "</p>", "<!--", "<?xml", "<1", "a", "é", "_", "1", " ", "\n", '"', "'", ".", "/", ":", "s", "p"]


@given(st.one_of(st.text(alphabet="<>!/?a:hHtTpPsfFrwW. \n\"'_é1", max_size=80),
                 st.lists(st.sampled_from(_MARKUP_PIECES), max_size=30).map("".join)))
def test_markup_spans_are_the_patterns_matches(text: str) -> None:
    # Looked for only where a match can start, and on from each match's end: every match of
    # the pattern, none more.
    expected = [match.span() for match in _MARKUP.finditer(text)]
    assert [tuple(span) for span in markup_spans(text).tolist()] == expected


# Two unrelated Chinese articles that share one ordinary 40-character sentence (a weather
# office's reminder) and, in the second test, a 99-character paragraph as well.
CHINESE_A = '临江老城商户担心“无车”之后生意难做\n\n午夜前不久，议事厅里公布表决结果时，临江几乎没有人感到意外。经过几个月的争论，代表们批准了一项方案，从明年起大多数私家车将不能再进入老城。对于市场路上的店主来说，眼下最关心的问题是：顾客还会不会来？\n\n气象部门提醒广大市民近期注意防暑降温，尽量减少午后户外活动，外出时做好防晒措施。\n\n马汉生在大教堂附近经营一家五金店已经二十三年了。他说，大部分老主顾是装修工人和园艺爱好者，他们开着面包车或小轿车来拉沉重的货物。“谁会扛着四十公斤水泥去坐公交车呢？”他站在一垛铺路砖旁边说。他打算今后提供免费送货，但担心成本会因此上升。\n\n并不是所有商户都这么悲观。隔着几个门面，一家小面包店的老板娘已经画好了在人行道上摆桌子的草图。她相信，街道安静下来以后，会吸引那些现在因为噪音和堵车而不愿进城的家庭。其他欧洲城市的研究表明，步行的顾客每次花的钱比开车的顾客少，但来的次数更多。\n\n市里承诺从城外的停车场开通接驳车，并降低公交票价。批评者认为，这些措施对倒班工人帮助不大，因为他们上班的时候第一班公交车往往还没有发车。区医院的护士们已经发起联名请愿，要求给予例外。\n\n空气质量是方案支持者最主要的理由。监测站在市中心多条街道上记录到的污染物浓度明显超标，省里也已经警告临江可能面临处罚。当地一家诊所的医生说，儿童哮喘病例有所增多。\n\n目前，市政府表示会继续听取各方意见。今年冬天将与居民和商户举行一系列座谈会，有关官员也承认，在摄像头正式启用之前，限行区域的范围仍有可能调整。\n'
CHINESE_B = '新型望远镜拍到遥远星系团首批图像\n\n塞拉阿尔塔天文台的天文学家周一公布了新型巡天望远镜拍摄的首批图像，以惊人的清晰度展示了一个距离地球约四十亿光年的星系团。这台望远镜的主镜直径六点五米，建造历时八年，耗资约三亿欧元。\n\n气象部门提醒广大市民近期注意防暑降温，尽量减少午后户外活动，外出时做好防晒措施。\n\n图像显示，数百个暗弱星系发出的光线被星系团的引力弯折，这种现象被称为引力透镜效应。通过测量光线的扭曲程度，研究人员可以估算出星系团中暗物质的含量，而暗物质是无法直接观测到的。\n\n项目负责人埃琳娜·鲁伊斯说，在最初几个观测夜，团队成员都非常紧张。“新仪器总会带来意外，但光学系统的表现比我们预想的还要好。”她说。明年，这台望远镜将开始对南天进行为期十年的巡天观测，每隔几个夜晚就把整个可见天区扫描一遍。\n\n观测数据在短暂延迟后将向公众开放，世界各地的科学家都可以利用这些数据寻找超新星、小行星以及其他随时间变化的天体。天文台预计每晚将产生超过二十太字节的数据，这些数据将由三个国家的计算中心进行处理。\n\n天文台之所以选址于此，是因为这里气候干燥、夜空黑暗，远离大城市的灯光。周边社区参与了项目规划，天文台还开设了游客中心，为附近山谷里的学校举办夜间科普活动。\n'


def test_one_shared_chinese_sentence_is_not_a_copied_stretch() -> None:
    """A CJK character is a token but about half a word: the 40 characters of one shared
    sentence are ~20 words, short of the 30 of a copied stretch (English needs 30 words too);
    a shared 99-character paragraph is one."""
    import dupefind

    shared = "气象部门提醒广大市民近期注意防暑降温，尽量减少午后户外活动，外出时做好防晒措施。"
    assert shared in CHINESE_A and shared in CHINESE_B
    assert not dupefind.compare(CHINESE_A, CHINESE_B).duplicate
    paragraph = CHINESE_A.split("\n\n")[1]
    assert len(paragraph) == 99
    assert dupefind.compare(CHINESE_A, CHINESE_B + "\n\n" + paragraph).duplicate
    assert not dupefind.compare(CHINESE_B, CHINESE_A).duplicate
    assert dupefind.compare(CHINESE_B + "\n\n" + paragraph, CHINESE_A).duplicate
