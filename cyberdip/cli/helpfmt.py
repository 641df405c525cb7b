"""`--help` as plain instructions, the same whatever typer version is installed.

Typer's own help shows programmer metavars (``{PATH}...``, ``<list[str]>``,
``<float range>``), cuts command summaries off with "...", and changes between
versions. These command classes write the help themselves: a usage line with the
metavars we chose, the docstring (with its example), the arguments and options with
their defaults, and, for the app, one untruncated line per command.
"""

from __future__ import annotations

import enum
import inspect
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup


def _metavar(param: Any) -> str:
    name = param.metavar or (param.name or "").upper()
    if getattr(param, "nargs", 1) == -1 and not name.endswith("..."):
        name += "..."
    return name


def _default(param: Any) -> str:
    if not getattr(param, "show_default", False) or getattr(param, "is_flag", False):
        return ""
    value = param.default
    if value is None or value == () or value == []:
        return ""
    if isinstance(value, enum.Enum):
        value = value.value
    return f"  [default: {value}]"


def _usage_pieces(cmd: Any, ctx: Any) -> list[str]:
    pieces = ["[OPTIONS]"]
    for p in cmd.get_params(ctx):
        if getattr(p, "param_type_name", "") == "argument":
            m = _metavar(p)
            pieces.append(m if p.required else f"[{m}]")
    if isinstance(cmd, TyperGroup):
        pieces.append("COMMAND [ARGS]...")
    return pieces


def _rows(cmd: Any, ctx: Any) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    args, opts = [], []
    for p in cmd.get_params(ctx):
        if getattr(p, "hidden", False):
            continue
        help_text = (getattr(p, "help", None) or "") + _default(p)
        if getattr(p, "param_type_name", "") == "argument":
            args.append((_metavar(p), help_text))
        else:
            # short options first, as in most tools' help: -f, --format
            names = ", ".join(sorted([*p.opts, *p.secondary_opts],
                                     key=lambda o: (o.startswith("--"), o)))
            if not getattr(p, "is_flag", False) and not getattr(p, "count", False):
                names += f" {_metavar(p)}"
            opts.append((names, help_text))
    return args, opts


def format_help(cmd: Any, ctx: Any, formatter: Any) -> None:
    formatter.write_usage(ctx.command_path, " ".join(_usage_pieces(cmd, ctx)))
    if cmd.help:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(inspect.cleandoc(cmd.help))
    args, opts = _rows(cmd, ctx)
    if args:
        with formatter.section("Arguments"):
            formatter.write_dl(args)
    if opts:
        with formatter.section("Options"):
            formatter.write_dl(opts)
    if isinstance(cmd, TyperGroup):
        rows = []
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                rows.append((name, summary(sub)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)
    if cmd.epilog:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(inspect.cleandoc(cmd.epilog))


def summary(cmd: Any) -> str:
    """A command's one-line summary, whole: its ``short_help``, else its first line."""
    if cmd.short_help:
        return inspect.cleandoc(cmd.short_help)
    return inspect.cleandoc(cmd.help or "").split("\n", 1)[0]


def _plain_help_option(option: Any) -> Any:
    """The ``-h/--help`` flag, whose value is None when absent, passed on as False.

    Recent typer coerces every option's value through a pydantic adapter unless it is
    already a bool; for the help flag that one coercion imports pydantic (about 40 ms)
    in every command, including ``--help`` and usage errors.
    """
    if (option is not None and hasattr(option, "get_runtime_param")
            and not getattr(option, "_cyberdip_plain", False)):
        option._cyberdip_plain = True
        process = option.process_value

        def process_value(ctx: Any, value: Any) -> Any:
            return process(ctx, bool(value))

        option.process_value = process_value
    return option


class _PlainHelp:
    """Our help, usage line and help flag, for a command and for the app alike."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        format_help(self, ctx, formatter)

    def get_help_option(self, ctx: Any) -> Any:
        return _plain_help_option(super().get_help_option(ctx))  # type: ignore[misc]

    def get_usage(self, ctx: Any) -> str:
        formatter = ctx.make_formatter()
        formatter.write_usage(ctx.command_path, " ".join(_usage_pieces(self, ctx)))
        return formatter.getvalue().rstrip("\n")


class Command(_PlainHelp, TyperCommand):
    pass


class Group(_PlainHelp, TyperGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        # typer's --install-completion and --show-completion are flags too, None when
        # absent: the same coercion would import pydantic for every command
        params = super().get_params(ctx)
        for p in params:
            if p.name in ("install_completion", "show_completion"):
                _plain_help_option(p)
        return params


__all__ = ["Command", "Group", "format_help", "summary", "typer"]
