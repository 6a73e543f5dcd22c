"""The reader of a brand's message against its labelled corpus: per kind of fact and overall,
how many stated facts it found (recall) and how many of the facts it found are wrong or not in
the message (invented), and every scam it missed.

Run ``.venv/bin/python -m bench.offer_reading``. The corpus is tests/unit/offer_corpus.py:
messages in the styles creators receive, ``OFFERS``, of which those in ``HELD_OUT`` were each
written before the reader was changed for them, and are printed apart as well. How many
messages, scams and non-English messages it holds is counted and printed, not written here.
The targets are recall of at least 90%, invented under 2%, every scam flagged, and
tests/unit/test_offer_reading.py asserts them.
"""

from __future__ import annotations

from tests.unit.offer_corpus import HELD_OUT, KINDS, OFFERS, measure

RECALL, INVENTED = 0.9, 0.02


def main() -> int:
    figures = measure()
    scams = sum(1 for offer in OFFERS if offer.scam)
    print(f"offer reading: {len(OFFERS)} messages ({scams} scams, "
          f"{sum(1 for offer in OFFERS if offer.language != 'en')} in Spanish or Portuguese)")
    print(f"  {'kind':<17}{'stated':>7}{'found':>7}{'recall':>8}{'reported':>10}{'wrong':>7}")
    print("  (a length is reported and judged with its term: usage, exclusivity)")
    kind_of = {}  # the reader's code -> the corpus's kind it is reported under
    for kind, (code, how) in KINDS.items():
        if how != "term" or code not in {c for c, h in KINDS.values() if h != "term"}:
            kind_of.setdefault(code, kind)
    for kind in sorted(KINDS):
        stated, found = figures.stated.get(kind, 0), figures.found.get(kind, 0)
        code = KINDS[kind][0]
        mine = kind_of.get(code) == kind
        reported = figures.reported.get(code, 0) if mine else 0
        wrong = figures.wrong.get(code, 0) if mine else 0
        recall = f"{found / stated:.0%}" if stated else "-"
        print(f"  {kind:<17}{stated:>7}{found:>7}{recall:>8}{reported:>10}{wrong:>7}")
    print(f"  recall   {figures.recall:6.1%}  target >= {RECALL:.0%}  "
          f"{'met' if figures.recall >= RECALL else 'MISSED'}")
    print(f"  invented {figures.invented:6.1%}  target < {INVENTED:.0%}  "
          f"{'met' if figures.invented < INVENTED else 'MISSED'}")
    print(f"  scams flagged {scams - len(figures.scams_missed)} of {scams}; "
          f"false alarms {len(figures.false_alarms)}")
    held = measure(HELD_OUT)
    print(f"  the {len(HELD_OUT)} messages written after the reader: recall {held.recall:.1%}, "
          f"invented {held.invented:.1%}")
    for name, kind, expected in figures.misses:
        print(f"  missed   {name}: {kind} {expected}")
    for name, kind, shown in figures.inventions:
        print(f"  invented {name}: {kind} {shown}")
    for name in figures.scams_missed:
        print(f"  scam not flagged: {name}")
    for name in figures.false_alarms:
        print(f"  flagged as a scam: {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
