"""The typer app: it registers the command modules' ``COMMANDS`` (the help beside
each function), answers ``--version``, and maps click's own errors to exit codes.

The arrows run one way: ``app`` -> command modules -> ``common`` -> the layers below.
No module imports ``app`` back. ``app`` imports a command module when a command of it
is run (``COMMANDS``, the table of which module defines which command), or all of them
for ``--help`` and for ``app``, the whole app.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Callable
from typing import Annotated

import typer

from cyberdip import __version__
from cyberdip.cli.common import BUG_REPORT, _quiet_broken_pipe, err, with_packs
from cyberdip.cli.helpfmt import Command, Group

#: Every command, in the order ``cyberdip --help`` lists them (checking, answering,
#: scoring, reporting, comparing), with the module in cli/ that defines it (its
#: ``COMMANDS``). A test holds this table to the modules.
COMMANDS = {
    "validate": "checks", "rubrics": "checks", "schema": "checks", "init": "scorecmd",
    "assess": "assess", "import": "importcmd", "merge": "merge", "score": "scorecmd",
    "report": "report", "compare": "portfolio", "trend": "portfolio",
    "aggregate": "portfolio", "sensitivity": "sensitivity", "signoff": "cycle",
    "history": "cycle", "status": "cycle", "plan": "cycle", "export": "interchange",
    "import-oscal": "interchange",
}


def _typer() -> typer.Typer:
    """The app, without its commands."""
    new = typer.Typer(
        name="cyberdip",
        cls=Group,
        help="How ready is a foreign ministry for cyber and digital diplomacy, and what next?\n\n"
        "Rubrics drawn from published research say what a ready ministry has; a ministry "
        "(or one of its missions) answers them; cyberdip scores the answers and writes a gap "
        "report.",
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    new.callback()(_root)
    return new


def _version(value: bool) -> None:
    if value:
        print(f"cyberdip {__version__}")
        raise typer.Exit(0)


def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """How ready is a foreign ministry for cyber and digital diplomacy, and what next?"""


#: What pydantic puts before the message of a ValueError raised while validating.
_PYDANTIC_PREFIX = "Value error, "


def _show_usage_error(e: Exception) -> None:
    """click's usage message, through ``err``: it repeats what was typed, which may
    hold control characters or a non-UTF-8 file name."""
    import io

    message = getattr(e, "message", None)
    if isinstance(message, str) and message.startswith(_PYDANTIC_PREFIX):
        # typer 0.29 and later check an option's choices with pydantic, whose message
        # starts "Value error, "; earlier versions (and click) give the same without it
        e.message = message[len(_PYDANTIC_PREFIX):]  # type: ignore[attr-defined]
    buf = io.StringIO()
    try:
        e.show(file=buf)  # type: ignore[attr-defined]
    except (AttributeError, TypeError):
        buf = io.StringIO(f"error: {e}")
    err(buf.getvalue().rstrip("\n"))


def main() -> None:
    """Console entry point: run the app and map click's own errors to our exit codes."""
    if sys.argv[1:] == ["--version"]:
        # Typer builds every command (inspecting each signature) before it even
        # looks at --version; answering here keeps `cyberdip --version` as fast
        # as a one-command typer app (benchmarks/bench_validate.py).
        print(f"cyberdip {__version__}")
        sys.exit(0)
    # pydantic looks for plugins among every installed package's entry points the
    # first time it builds a model (about 20 ms of start-up); cyberdip uses none
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _skip_plugin_loader()
    try:
        code = app_for(sys.argv[1:])(standalone_mode=False, prog_name="cyberdip")
    except typer.Exit as e:
        code = e.exit_code
    except (typer.Abort, KeyboardInterrupt):
        err("interrupted")
        code = 130
    except BrokenPipeError:
        _quiet_broken_pipe()
        code = 0
    except Exception as e:  # noqa: BLE001
        if _is_usage_error(e):
            _show_usage_error(e)
            code = 2
        elif os.environ.get("CYBERDIP_DEBUG"):
            raise
        else:
            err(f"internal error: {type(e).__name__}: {e} -- this is a bug in cyberdip "
                f"{__version__}; {BUG_REPORT}")
            code = 3
    sys.exit(code if isinstance(code, int) else 0)


#: The module pydantic finds its plugins with; only its ``get_plugins`` is used (2.7 to 2.14).
PLUGIN_LOADER = "pydantic.plugin._loader"


class _NoPlugins(types.ModuleType):
    """Stands in for pydantic's plugin loader while plugins are disabled.

    With ``PYDANTIC_DISABLE_PLUGINS`` set, pydantic's ``get_plugins()`` returns no
    plugins, but the module it lives in imports ``importlib.metadata`` first (with
    ``email``, ``zipfile`` and ``csv``): about 11 ms, a twentieth of ``cyberdip score``,
    to find nothing. This module answers ``get_plugins()`` with no plugins, as the real
    one would; anything else pydantic asks of it comes from the real module, loaded
    then.
    """

    def get_plugins(self, *args: object, **kwargs: object) -> tuple[()]:
        return ()

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):  # what the import system asks of any module
            raise AttributeError(name)
        import importlib.machinery
        import importlib.util

        import pydantic.plugin

        spec = importlib.machinery.PathFinder.find_spec(PLUGIN_LOADER,
                                                        list(pydantic.plugin.__path__))
        if spec is None or spec.loader is None:
            raise AttributeError(name)
        real = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(real)
        return getattr(real, name)


def _skip_plugin_loader() -> None:
    """Put :class:`_NoPlugins` in the loader's place when every plugin is disabled
    (as ``main`` asks, unless the user named plugins to disable) and the loader is not
    loaded yet."""
    if (os.environ.get("PYDANTIC_DISABLE_PLUGINS") in ("__all__", "1", "true")
            and PLUGIN_LOADER not in sys.modules):
        sys.modules[PLUGIN_LOADER] = _NoPlugins(PLUGIN_LOADER)


def app_for(argv: list[str]) -> typer.Typer:
    """The app with only the command ``argv`` names, when it names one.

    Typer builds every registered command (and, in recent versions, a pydantic
    adapter for each of their parameters) before it runs any, and importing every
    command module costs a twentieth of ``cyberdip score``'s start-up: ``cyberdip
    score`` imports and builds only ``score``. ``cyberdip --help`` and anything that
    names no command get the whole app.
    """
    name = argv[0] if argv else ""
    if name not in COMMANDS:
        return whole_app()
    one = _typer()
    _register(one, [name])
    return one


_WHOLE: list[typer.Typer] = []


def whole_app() -> typer.Typer:
    """The app with every command (made once)."""
    if not _WHOLE:
        _WHOLE.append(_typer())
        _register(_WHOLE[0], list(COMMANDS))
    return _WHOLE[0]


def __getattr__(name: str) -> typer.Typer:
    """``app``: the whole app, made when first asked for (tests, docs/cli.md)."""
    if name == "app":
        return whole_app()
    raise AttributeError(name)


#: Where click's exceptions live, by typer version: typer.exceptions (newest),
#: typer._click.exceptions (0.26, vendored), or click itself (older).
_USAGE_ERRORS = (("typer.exceptions", "TyperException"),
                 ("typer._click.exceptions", "ClickException"),
                 ("click.exceptions", "ClickException"))


def _is_usage_error(e: Exception) -> bool:
    """A usage error from whichever click typer uses; never an internal error. Only
    modules already imported are looked at: an exception cannot come from another."""
    for module, name in _USAGE_ERRORS:
        kind = getattr(sys.modules.get(module), name, None)
        if kind is not None and isinstance(e, kind):
            return True
    return False


#: The commands that take a rubric, and so a ``--packs DIR`` option (docs/packs.md).
TAKES_RUBRIC = {"validate", "rubrics", "init", "assess", "import", "merge", "score", "report",
                "compare", "aggregate", "sensitivity", "signoff", "status", "export"}


def command_name(func: Callable) -> str:
    """The name a command function is registered under."""
    return func.registration.name or func.__name__.replace("_", "-")  # type: ignore[attr-defined]


def _register(target: typer.Typer, names: list[str]) -> None:
    """Add the commands ``names`` (in ``COMMANDS`` order) to ``target``, importing the
    modules that define them."""
    import importlib

    found = {}
    for module in dict.fromkeys(COMMANDS[n] for n in names):
        for func in importlib.import_module(f"cyberdip.cli.{module}").COMMANDS:
            found[command_name(func)] = func
    for name in COMMANDS:
        if name in names:
            target.command(found[name].registration.name, cls=Command,
                           short_help=found[name].registration.short_help)(
                with_packs(found[name]) if name in TAKES_RUBRIC else found[name])
