"""Dependencies between Voicebox's apps point one way (DESIGN.md §4), through every path: Python imports (deferred
ones too), template tag libraries, included or extended templates, reversed URL names, and dotted paths in settings.

    base  <-  stories  <-  transcription  <-  moderation  <-  contributions  <-  services
                 ^                              ^
                 +---------- research ----------+            demo builds on all of them; nothing builds on demo

The public core (`stories`) names none of governance, research or transcription: they add to its pages through the
hooks and signals it defines. Because every app may use only those to its left, no cycle between apps can form.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
APPS = ("base", "stories", "transcription", "moderation", "contributions", "services", "research", "demo")

# What each app may use, besides itself.
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "stories": {"base"},
    "transcription": {"base", "stories"},
    "moderation": {"base", "stories", "transcription"},
    "contributions": {"base", "stories", "transcription", "moderation"},
    "services": {"base", "stories", "transcription", "moderation", "contributions"},
    "research": {"base", "stories", "moderation"},
    "demo": {"base", "stories", "transcription", "moderation", "contributions", "services", "research"},
}

# URL namespaces and admin URL names, by the app that defines them.
URL_NAMESPACES = {
    "stories": "stories",
    "moderation": "moderation",
    "moderation_admin": "moderation",
    "contributions": "contributions",
    "two_factor": "base",
    "research": "research",
    "emerging_themes": "research",
    "services": "services",
    "services_admin": "services",
}

LOAD_TAG = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")
TEMPLATE_REF = re.compile(r"{%\s*(?:include|extends)\s+['\"]([^'\"]+)['\"]")
URL_NAME = re.compile(r"""(?:{%\s*url\s+|reverse(?:_lazy)?\(|redirect\()\s*['"]([a-z_]+):""")


def _python_files(app: str) -> list[Path]:
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


def _template_files(app: str) -> list[Path]:
    return [*(ROOT / "templates" / app).rglob("*.*"), *(ROOT / app / "templates").rglob("*.*")]


def _tag_libraries() -> dict[str, str]:
    """Template tag library name -> the app that defines it."""
    return {path.stem: app for app in APPS for path in (ROOT / app / "templatetags").glob("*.py")}


def _template_owner(name: str) -> str | None:
    first = name.split("/", 1)[0]
    return first if first in APPS else None


def _imported_apps(path: Path) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {(name.split(".")[0], node.lineno) for name in names if name.split(".")[0] in APPS}
    return found


def dependencies() -> list[tuple[str, str, str]]:
    """(app, app it uses, where) for every use of one of our apps by another."""
    uses = []
    for app in APPS:
        for path in _python_files(app):
            where = path.relative_to(ROOT)
            uses += [(app, other, f"{where}:{line} imports {other}") for other, line in _imported_apps(path)]
            uses += [
                (app, URL_NAMESPACES[name], f"{where} reverses {name}:…")
                for name in URL_NAME.findall(path.read_text())
                if name in URL_NAMESPACES
            ]
        libraries = _tag_libraries()
        for path in _template_files(app):
            text = path.read_text()
            where = path.relative_to(ROOT)
            for names in LOAD_TAG.findall(text):
                uses += [(app, libraries[lib], f"{where} loads {lib}") for lib in names.split() if lib in libraries]
            for name in TEMPLATE_REF.findall(text):
                if owner := _template_owner(name):
                    uses.append((app, owner, f"{where} includes {name}"))
            uses += [
                (app, URL_NAMESPACES[name], f"{where} links to {name}:…")
                for name in URL_NAME.findall(text)
                if name in URL_NAMESPACES
            ]
    return [(app, other, where) for app, other, where in uses if other != app]


def test_every_app_uses_only_the_apps_below_it():
    wrong = [where for app, other, where in dependencies() if other not in ALLOWED[app]]
    assert not wrong, "dependencies against the grain:\n" + "\n".join(wrong)


def test_the_public_core_names_no_other_app_in_settings_it_reads():
    """Dotted paths in settings are dependencies too: the core's rate limits and middleware name only the core or
    the site app."""
    core_settings = {
        "RATELIMIT_IP_META_KEY": settings.RATELIMIT_IP_META_KEY,
        "RATELIMIT_VIEW": getattr(settings, "RATELIMIT_VIEW", ""),
    }
    wrong = {name: value for name, value in core_settings.items() if value.split(".")[0] not in {"base", "stories"}}
    assert not wrong


def test_the_layers_have_no_cycle():
    """The allowed graph itself is acyclic, so following it can never make a cycle."""
    order = list(APPS)
    for app, others in ALLOWED.items():
        assert all(order.index(other) < order.index(app) for other in others), app


def test_apps_import_each_other_only_at_module_level_unless_start_up_order_needs_it():
    """A deferred import between apps hides a cycle from every import graph. Only an AppConfig.ready() may defer,
    because models can be imported only once every app is loaded."""
    deferred = []
    for app in APPS:
        for path in _python_files(app):
            if path.name == "apps.py":
                continue
            tree = ast.parse(path.read_text())
            for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
                for node in ast.walk(function):
                    module = (
                        node.module
                        if isinstance(node, ast.ImportFrom) and node.level == 0
                        else (node.names[0].name if isinstance(node, ast.Import) else None)
                    )
                    if module and module.split(".")[0] in APPS and module.split(".")[0] != app:
                        deferred.append(f"{path.relative_to(ROOT)}:{node.lineno} {module}")
    assert not deferred, "deferred imports between apps:\n" + "\n".join(deferred)
