"""Pure functions, no I/O: scoring an assessment against its rubric, comparing two
scorecards, and putting many side by side (portfolios).

May import ``formats``, ``model`` and the base modules; never ``report`` or ``cli``.
"""
