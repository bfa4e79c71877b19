"""Turn one numeral, as written, into a number.

A pure function of the isolated numeral string: the extractor finds the span,
this module only reads it. cn2an reads pure Chinese numerals, except the regular
positional form (三千五百, 一百零五), read here because importing cn2an costs more than
reading all a document's numerals; everything with Arabic digits, magnitude suffixes
(2.5万亿, 10.36百亿亿) and bare magnitudes (万亿, 千亿) is read here, because cn2an
rejects them or loses precision.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
# 〇 and the formal (大写) digits are rewritten to the forms cn2an reads.
_TO_CN2AN = str.maketrans({"〇": "零", "壹": "一", "贰": "二", "叁": "三", "肆": "四", "伍": "五",
                           "陆": "六", "柒": "七", "捌": "八", "玖": "九", "拾": "十", "佰": "百",
                           "仟": "千"})
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
# Grouping commas are real only in threes (20,798); 1,2 is two numbers.
_GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?![0-9,])")
# Magnitudes stack from small to large (百亿亿, 千万, 万亿), never 亿万 or 万千.
_TAIL = re.compile(r"[十百千]?万?亿{0,2}")
_DIGITS = "0123456789"
_CN_DIGITS = "零〇一二两三四五六七八九"
_DIGIT_VALUES = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}


@lru_cache(maxsize=8192)
def parse_numeral(text: str) -> float:
    """Read a numeral such as 20,798 / １２ / 三千五百 / 2.5万亿 / 二〇二三 / 千亿.

    Raises ValueError when the string is not a numeral.
    """
    # A space or a line break inside a numeral is layout (20817.5 亿).
    s = _ungrouped("".join(text.split()).translate(_FULL_WIDTH), text)
    if not s:
        raise ValueError(f"empty numeral: {text!r}")
    head = _arabic_prefix(s)
    if head:
        return _scaled(Decimal(head), s[len(head):], text)
    return _chinese(s.translate(_TO_CN2AN), text)


def magnitude(characters: str | None) -> int:
    """The factor of magnitude characters written apart from their numeral: 10000 for 万
    (5500多万), 1 for none."""
    factor = 1
    for ch in characters or "":
        factor *= MAGNITUDES[ch]
    return factor


def magnitude_tail(text: str) -> int:
    """The factor of the magnitude characters ending an Arabic numeral: 1000 for 5千, 1 for 5.

    A range such as 5-10万 writes the magnitude once, on its upper end.
    """
    s = text.strip().translate(_FULL_WIDTH).replace(",", "")
    head = _arabic_prefix(s)
    tail = s[len(head):]
    factor = 1
    if head and tail and _TAIL.fullmatch(tail):
        for ch in tail:
            factor *= MAGNITUDES[ch]
    return factor


def _ungrouped(s: str, original: str) -> str:
    if "," not in s:
        return s
    match = _GROUPED.match(s)
    if not match or "," in s[match.end():]:
        raise ValueError(f"misplaced grouping comma: {original!r}")
    return s.replace(",", "")


def _arabic_prefix(s: str) -> str:
    end, dots = 0, 0
    while end < len(s) and (s[end] in _DIGITS or s[end] == "." and end > 0 and not dots):
        dots += s[end] == "."
        end += 1
    head = s[:end].rstrip(".")
    if s[len(head):len(head) + 1] in (".", "．"):
        raise ValueError(f"not a numeral: {s!r}")
    return head


def _scaled(number: Decimal, tail: str, original: str) -> float:
    if not tail:
        return float(number)
    if _TAIL.fullmatch(tail):
        for ch in tail:
            number *= MAGNITUDES[ch]
        return float(number)
    # Mixed forms such as 1万2千 are cn2an's job.
    return _cn2an(original.translate(_FULL_WIDTH).replace(",", ""), original)


def _chinese(s: str, original: str) -> float:
    if _TAIL.fullmatch(s):
        # A bare magnitude (万亿, 千亿, 百) means one of it.
        return _scaled(Decimal(1), s, original)
    if len(s) > 1 and all(ch in _CN_DIGITS for ch in s) and "两" not in s:
        if len(s) == 2 and "零" not in s:
            # 三四 is "three or four", not thirty-four.
            raise ValueError(f"an approximate pair, not a numeral: {original!r}")
        # Digit by digit, as in 二〇二三.
        return _digitwise(s)
    value = _regular(s)
    return _cn2an(s, original) if value is None else float(value)


def _regular(s: str) -> int | None:
    """The value of a numeral in the regular positional form (三, 十二, 三千五百, 一百零五,
    一亿二千万), None for any other form (三千五, 十两, 三点五), which cn2an reads.

    Speed: importing cn2an costs a process 0.3 s, more than all its numerals; the
    numerals of reports are nearly all of this form (tests/test_numerals.py checks every
    value against cn2an's)."""
    total = group = section = 0  # the 亿s, the 万s and what is below 万
    digit, last, zero, after_zero, two, after_yi = None, 10**4, False, False, False, False
    for index, ch in enumerate(s):
        if ch == "零":
            if digit is not None or zero or not (total or group or section):
                return None
            zero = True
        elif ch in _DIGIT_VALUES:
            if digit is not None:
                return None
            digit, after_zero, zero, two = _DIGIT_VALUES[ch], zero, False, ch == "两"
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if digit is None and not (index == 0 and ch == "十"):
                return None
            # Each unit is the next below the one before (the first of the numeral any), and a
            # 零 stands for at least one skipped: 一千五十 and 一亿二千 are not regular.
            if after_zero:
                falls = unit * 10 < last
            else:
                falls = unit * 10 == last if section or total or group else unit < last
            if not falls:
                return None
            section += (1 if digit is None else digit) * unit
            digit, last, after_zero = None, unit, False
        elif ch in "万亿" and not zero and _units_digit(digit, two, after_zero, last, total or group or section):
            section += digit or 0
            if not (section or group) or (ch == "万" and (group or not section)) or (ch == "亿" and total):
                return None
            if ch == "万":
                group, section = section * 10**4, 0
            else:
                total, group, section = (group + section) * 10**8, 0, 0
            digit, last, after_yi = None, 10**4, ch == "亿"
        else:
            return None
    if zero or not _units_digit(digit, two, after_zero, last, total or group or section):
        return None
    if after_yi and (section or digit):
        return None  # below 亿 without 万 (一亿零三): rare, and cn2an's
    return total + group + section + (digit or 0)


def _units_digit(digit: int | None, two: bool, after_zero: bool, last: int, before: int) -> bool:
    """Whether a digit closing a section is its units: 三, 二十三, 一百零三; 三千五 is
    3500 and 一万五 15000, spoken forms left to cn2an."""
    if digit is None:
        return True
    if not before:
        return not after_zero
    return not two and (last > 10 if after_zero else last == 10)


def _digitwise(s: str) -> float:
    digits = {"零": "0", "〇": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}
    return float("".join(digits[ch] for ch in s))


def _cn2an(s: str, original: str) -> float:
    import cn2an  # takes 0.1 s to import, and most runs need it for few numerals, if any

    try:
        value = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, IndexError, InvalidOperation) as exc:
        raise ValueError(f"not a numeral: {original!r}") from exc
    return float(value)
