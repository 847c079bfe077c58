"""Kept pairs with their passages to a plain statement of what kind of copy each is.

The label rests on figures anyone can check against the passages:

- ``identical``: share of the aligned words (words inside passages, of the side that has more)
  that are identical in the other text; ``substituted``: share replaced by other words. Taken
  on the larger side, the figures do not depend on which text is A: words a copy adds or drops
  count against ``identical`` either way.
- ``coverage_a`` / ``coverage_b``: share of each text's words inside the passages.
- ``moved``: share of the identical words that stand in a different order in B (outside the
  longest stretch of them in the same order in both texts).

Kinds, each independent (a copy can be spun *and* partial):

``verbatim``  ≥ 95 % of the aligned words identical.
``edited``    ≥ 80 % of the aligned words identical but not verbatim, and not spun: a copy
              with a few words inserted, deleted or changed here and there.
``spun``      ≥ 10 % of the aligned words substituted, mostly one to three words at a time
              (synonym spinning), and no more than 95 % identical.
``partial``   one text is mostly inside the other (its coverage ≥ 50 %) but the other is
              covered less than half as much: one contains the other.
``reordered`` ≥ 10 % of the identical words out of order.
``passage``   the passages cover less than half of each text: the two share a passage or
              two, and neither is mostly inside the other. This kind stands alone (the passage
              itself may be verbatim; the pair is not a verbatim copy).
``similar``   none of the above (rewritten, summarised): fewer than 80 % of the aligned words
              identical, and not spun.

A "replacement" whose two sides are the same words (words the aligner was told to set aside,
such as a site's boilerplate, or a repeat of a stretch it aligned elsewhere) is neither a
substitution nor a change: it counts as identical and is never listed as ``X → X``. So do the
same words left between two edits of a passage on both sides (a sentence the aligner set aside,
found in both at the same place of the copy).
"""

from .changes import Spans, changed_spans
from .relation import (
    CONTAINED,
    EDITED,
    MAX_SUBSTITUTIONS,
    MOVED,
    PASSAGE,
    SPUN,
    SUBSTITUTION_WORDS,
    VERBATIM,
    describe,
    explain,
    substitution_list,
)

__all__ = ["CONTAINED", "EDITED", "MAX_SUBSTITUTIONS", "MOVED", "PASSAGE", "SPUN", "SUBSTITUTION_WORDS", "VERBATIM",
           "Spans", "changed_spans", "describe", "explain", "substitution_list"]
