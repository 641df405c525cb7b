"""The baseline for `cyberdip COMMAND --help` and for a usage error: a minimal Typer app
with one argument, exactly as Typer's tutorial writes one (default settings).

    python minimal_typer_app.py --help
    python minimal_typer_app.py --no-such-option     # usage error, exit 2
"""

import typer

app = typer.Typer()


@app.command()
def main(path: str) -> None:
    """Say which file was given."""
    print(path)


if __name__ == "__main__":
    app()
