"""Results to text for people: scorecards, comparisons and portfolios as text,
Markdown, HTML, JSON and CSV; the SVG charts; the Jinja templates; traceability.
Every function returns text; the CLI decides where it goes.

May import ``engine``, ``formats``, ``model`` and the base modules; never ``cli``.
"""
