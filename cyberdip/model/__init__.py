"""What a rubric, an assessment and a scorecard are (pydantic models), and the
semantic checks that say whether one is valid, each problem located.

May import only the base modules (``errors``, ``yamlio``, ``diagnostics``, ``textsafe``).
"""
