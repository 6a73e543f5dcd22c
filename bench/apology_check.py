"""The apology draft check against its labelled set: precision and recall, and every miss.

Run ``.venv/bin/python -m bench.apology_check``. The set (tests/unit/apology_drafts.py) is 60
drafts written in many voices, half good and half holding a non-apology; the target is at least
90% precision and 90% recall, and tests/unit/test_apology_check.py asserts it.
"""

from __future__ import annotations

from tests.unit.apology_drafts import DRAFTS, measure

TARGET = 0.9


def main() -> int:
    figures = measure()
    good = sum(1 for label, _ in DRAFTS if label == "good")
    print(f"apology draft check: {len(DRAFTS)} drafts ({good} good, {len(DRAFTS) - good} with a "
          f"non-apology)")
    for name, value in (("precision", figures.precision), ("recall", figures.recall)):
        print(f"  {name:<9} {value:6.1%}  target >= {TARGET:.0%}  "
              f"{'met' if value >= TARGET else 'MISSED'}")
    print(f"  flagged rightly {figures.true_positives}, wrongly {figures.false_positives}, "
          f"missed {figures.false_negatives}")
    for label, text in figures.misses:
        print(f"  wrong on a {label} draft: {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
