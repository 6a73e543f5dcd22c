"""Reading a brand's message: text in, facts out, each fact with the words it came from.

``clauses`` cuts a message where a reader pauses, ``amounts`` reads money, days and durations in
any common format, ``terms`` finds the deal's terms and the scam signals clause by clause, and
``offer`` gathers them into an ``OfferReading`` whose facts pre-fill the creator review. The
proposal check (``flows/proposal/pitch.py``) reads a pitch with the same ``terms``. Nothing here
does I/O, and only the facts and short quotes are kept, never the message itself.
"""
