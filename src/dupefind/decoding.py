"""Bytes of a text file to its text: which encoding, or why it is not text.

In order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); then UTF-16 without a mark is
recognised by where its NUL bytes fall (as charset detectors do); then a file holding NUL bytes
is binary unless they are stray ones in text (:func:`binary_by_nuls`); then UTF-8; then the
encoding charset-normalizer detects, with Windows-1252 taken for nearly-ASCII Western text as
browsers do, and the code page of the language it hears (Polish, Turkish, ...) when that reads
as well. A NUL read as text becomes U+FFFD, one character for one (:func:`as_text`).
"""

from __future__ import annotations

import json
import re
import unicodedata

from charset_normalizer import from_bytes


class NotText(ValueError):
    """Bytes that cannot be read as text; the message is the reason shown to the user."""


def id_text(value: object) -> str:
    """A record's id that is not a string, as its JSON text (``7``, ``1.5``, ``true``): what
    the record says, so that an id in a report or a ``duplicate_of`` names the record (Python's
    ``str`` wrote ``True``). A JSONL line's number that is not an integer comes as the text the
    line writes it with (:mod:`dupefind.sources`), and stays so."""
    return json.dumps(value) if isinstance(value, bool) else str(value)


_SNIFF = 8192
# Byte-order marks, longest first (UTF-32's starts like UTF-16's).
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_LEGACY_DEFAULT = "cp1252"
_CHAOS_TIE = 0.01
_MOSTLY_ASCII = 0.05
# UTF-16 without a byte-order mark: in text that is mostly Latin script the high byte of nearly
# every character is NUL, so NULs fill one side of the byte pairs and (almost) never the other.
_UTF16_NUL_SIDE = 0.4
_UTF16_OTHER_SIDE = 0.02
_UTF16_MIN_PAIRS = 8
# Text holds at most this share of control characters other than tab, line feed, carriage
# return and form feed (of the characters of a decoded head; of all the bytes of a file with NULs).
_MAX_CONTROLS = 0.01
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\x0c\r")
_OTHER_BYTES = bytes(b for b in range(0x100) if b not in _CONTROL_BYTES)
# A control byte this early is a binary format's header (numbers, lengths, a NUL-ended name),
# never a stray byte in text.
_HEAD = 64
# Formats whose first bytes may hold no control byte, and the ones the README names.
_MAGIC = ((0, b"\x89PNG"), (0, b"%PDF-"), (0, b"PK\x03\x04"), (0, b"PK\x05\x06"), (0, b"\x1f\x8b"),
          (0, b"\x7fELF"), (0, b"SQLite format 3\x00"), (0, b"\xff\xd8\xff"), (0, b"GIF87a"), (0, b"GIF89a"),
          (0, b"BZh"), (0, b"\xfd7zXZ\x00"), (0, b"7z\xbc\xaf\x27\x1c"), (0, b"\x28\xb5\x2f\xfd"),
          (0, b"Rar!\x1a\x07"), (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), (257, b"ustar"))
BINARY = "binary file (contains NUL bytes)"


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was decoded with; :class:`NotText` otherwise."""
    if not data.strip():
        raise NotText("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return as_text(data, encoding), encoding
            except UnicodeDecodeError as error:
                raise NotText(f"cannot decode as {encoding} despite its byte-order mark ({error.reason})") from None
    sniff = data[:_SNIFF]
    if b"\x00" in sniff and (utf16 := utf16_by_nuls(sniff)) is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError as error:
            raise NotText(f"binary file (NUL bytes as in {utf16}, but not {utf16}: {error.reason})") from None
        if not looks_like_text(text):
            raise NotText(BINARY)
        return _without_nul(text), utf16
    if b"\x00" in data and binary_by_nuls(data):
        raise NotText(BINARY)
    try:
        return as_text(data, "utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        pass
    return _legacy(data)


def as_text(data: bytes, encoding: str) -> str:
    """``data`` decoded, each NUL character (not text, and cut short by C APIs) read as U+FFFD,
    one character for one, so that offsets hold; as the first read and every re-read do."""
    return _without_nul(data.decode(encoding))


def _without_nul(text: str) -> str:
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def binary_by_nuls(data: bytes) -> bool:
    """Whether ``data``, which holds NUL bytes (and is not UTF-16), is binary: it starts with
    a known binary signature, has a control byte (other than tab, line feed, carriage return
    and form feed) in its first 64 bytes, or more than 1 % of its bytes are such controls.
    Stray NULs in text (a bad copy, a faulty converter) pass; any binary format fails."""
    if any(data.startswith(magic, at) for at, magic in _MAGIC):
        return True
    if data[:_HEAD].translate(None, _OTHER_BYTES):
        return True
    return len(data.translate(None, _OTHER_BYTES)) > _MAX_CONTROLS * len(data)


def looks_like_text(text: str) -> bool:
    """At most 1 % of the first 8 KB of ``text`` are control characters other than tab, line
    feed, carriage return and form feed (the rule for files without extension)."""
    head = text[:_SNIFF]
    return len(_CONTROLS.findall(head)) <= _MAX_CONTROLS * len(head)


def utf16_by_nuls(sample: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the NUL bytes of ``sample`` fall on one side of its
    byte pairs (the high byte of Latin-script characters), ``None`` otherwise."""
    pairs = len(sample) // 2
    if pairs < _UTF16_MIN_PAIRS:
        return None
    even, odd = sample[0 : 2 * pairs : 2].count(0), sample[1 : 2 * pairs : 2].count(0)
    if odd >= _UTF16_NUL_SIDE * pairs and even <= _UTF16_OTHER_SIDE * pairs:
        return "utf-16-le"
    if even >= _UTF16_NUL_SIDE * pairs and odd <= _UTF16_OTHER_SIDE * pairs:
        return "utf-16-be"
    return None


def _legacy(data: bytes) -> tuple[str, str]:
    """Text in a single-byte or other legacy encoding, as charset-normalizer detects it.

    A few accented letters or curly quotes in English text fit many legacy encodings about
    equally well (detectors even pick CJK ones). Like browsers (WHATWG's default for legacy
    Western text), Windows-1252 is taken when the text is nearly all ASCII or when it is among
    the detector's near-best, and it decodes every byte; and, like a browser set to the
    language, the code page of the language the detector hears when it fits about as well.
    Of those and the single-byte code pages among the near-best, the reading with the fewest
    symbols inside words wins (:func:`_single_byte`)."""
    matches = list(from_bytes(data))
    least_chaos = matches[0].chaos if matches else 0.0
    near = [m.encoding for m in matches if m.chaos <= least_chaos + _CHAOS_TIE]
    western = _LEGACY_DEFAULT in near or sum(byte >= 0x80 for byte in data) <= _MOSTLY_ASCII * len(data)
    language = matches[0].language if matches else ""
    pages = _CODE_PAGES.get(language, ())
    spoken = [m.encoding for m in matches if m.encoding in pages and m.chaos <= least_chaos + _LANGUAGE_TIE
              and _in_alphabet(as_text(data, m.encoding), _ALPHABETS[language])]
    if western or spoken:
        preferred = [*sorted(spoken, key=pages.index), *([_LEGACY_DEFAULT] if western else [])]
        chosen = _single_byte(data, [*preferred, *(e for e in near if e.startswith(_SINGLE_BYTE))], preferred)
        if chosen is not None:
            return chosen
    if not matches:
        raise NotText("cannot decode: not UTF-8, and no other text encoding fits")
    return as_text(data, matches[0].encoding), matches[0].encoding


#: The legacy code pages of the languages charset-normalizer names whose letters Windows-1252
#: lacks, Windows' first (the pages an editor there saves legacy text in).
_CODE_PAGES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("Polish", "Czech", "Slovak", "Hungarian", "Romanian", "Croatian", "Slovene"),
                    ("cp1250", "iso8859_2")),
    "Turkish": ("cp1254", "iso8859_9"),
    **dict.fromkeys(("Lithuanian", "Latvian", "Estonian"), ("cp1257", "iso8859_13")),
}
#: The letters beyond ASCII of each language of :data:`_CODE_PAGES` (lower case; both forms
#: of Romanian's and Turkish's s and t with a mark below).
_ALPHABETS = {
    "Polish": "ąćęłńóśźż", "Czech": "áčďéěíňóřšťúůýž", "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Hungarian": "áéíóöőúüű", "Romanian": "ăâîșşțţ", "Croatian": "čćđšž", "Slovene": "čćđšž",
    "Turkish": "âçğıîöşûü", "Lithuanian": "ąčęėįšųūž", "Latvian": "āčēģīķļņšūž", "Estonian": "äõöüšž",
}
#: The share of a text's letters beyond ASCII that must be its language's, read in that
#: language's code page, for the page to be preferred: the detector hears a language from
#: letters stripped of their marks, and heard French as Romanian (its à, è, ê then read ŕ, č, ę).
_ALPHABET_SHARE = 0.8


def _in_alphabet(text: str, alphabet: str) -> bool:
    """Whether most of the letters beyond ASCII in ``text`` are ``alphabet``'s (:data:`_ALPHABET_SHARE`)."""
    letters = [char for char in text.lower() if char > "\x7f" and char.isalpha()]
    return not letters or sum(char in alphabet for char in letters) >= _ALPHABET_SHARE * len(letters)


#: How much worse than the detector's first (its "chaos") the language's code page may fit.
_LANGUAGE_TIE = 0.05
_SINGLE_BYTE = ("cp125", "iso8859")


def _single_byte(data: bytes, encodings: list[str], preferred: list[str]) -> tuple[str, str] | None:
    """Of ``encodings`` that decode every byte, the one whose text has the fewest symbols
    inside words (Polish ``ł`` read as Windows-1252 is ``bezp³atny``); among those equally
    clean, the first of ``preferred`` (Turkish ``ş`` read as Windows-1252 is the letter ``þ``:
    only the language tells them apart), else the first. ``None`` when none decodes."""
    read: dict[str, tuple[int, str]] = {}
    for encoding in encodings:
        if encoding not in read:
            try:
                text = as_text(data, encoding)
            except UnicodeDecodeError:
                continue
            read[encoding] = (_symbols_in_words(text), text)
    if not read:
        return None
    fewest = min(odd for odd, _ in read.values())
    clean = [encoding for encoding, (odd, _) in read.items() if odd == fewest]
    chosen = next((encoding for encoding in preferred if encoding in clean), clean[0])
    return read[chosen][1], chosen


# A character beyond ASCII between two letters.
_BETWEEN_LETTERS = re.compile(r"(?<=[^\W\d_])[^\x00-\x7f](?=[^\W\d_])")


def _symbols_in_words(text: str) -> int:
    """How many symbols (a number, a currency or other sign, a control: neither a letter, a
    mark nor punctuation) stand between two letters in ``text``: letters a code page lacks,
    read as another's symbols."""
    return sum(1 for char in _BETWEEN_LETTERS.findall(text) if unicodedata.category(char)[0] not in "LMP")
