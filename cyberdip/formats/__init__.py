"""Every file format in and out beyond the core models: finding and identifying
rubric and assessment files, loading an assessment with its rubric, validating
files, blank questionnaires, CSV sheets, and the JSON Schemas.

May import ``model`` and the base modules; never ``engine``, ``report`` or ``cli``.
"""
