"""The `assess` questionnaire on a terminal, split along its seams: ``prompt`` (asking
and speaking), ``questions`` and ``evidence`` (one criterion), ``session`` (the walk) and
``lock``. Support modules: they import ``common`` and the layers below, never a command."""
