"""The command line, the ONLY package that knows about argv, the terminal, files written
and exit codes: ``app`` imports the command modules, which import ``common`` and the
support modules (``helpfmt``, ``pool``, ``asker``), never ``app`` nor one another."""


def main() -> None:
    """The console script (pyproject.toml): ``cyberdip.cli.app.main``, imported on call."""
    from cyberdip.cli.app import main as run

    run()
