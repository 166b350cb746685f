"""Dependencies between Voicebox's apps point one way (DESIGN.md §4), through every path: Python imports (deferred
ones too), template tag libraries, included or extended templates, reversed URL names, and dotted paths in settings.

    base  <-  stories  <-  transcription  <-  moderation  <-  contributions  <-  services
                 ^                              ^    ^
                 +---------- research ----------+    +-- curated (collections)
                                                             demo builds on all of them; nothing builds on demo

The public core (`stories`) names none of governance, research or transcription: they add to its pages through the
hooks and signals it defines. Because every app may use only those to its left, no cycle between apps can form.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "base",
    "stories",
    "transcription",
    "moderation",
    "contributions",
    "services",
    "research",
    "curated",
    "demo",
)

# What each app may use, besides itself.
ALLOWED: dict[str, set[str]] = {
    "base": set(),
    "stories": {"base"},
    "transcription": {"base", "stories"},
    "moderation": {"base", "stories", "transcription"},
    "contributions": {"base", "stories", "transcription", "moderation"},
    "services": {"base", "stories", "transcription", "moderation", "contributions"},
    "research": {"base", "stories", "moderation"},
    "curated": {"base", "stories", "moderation"},
    "demo": {"base", "stories", "transcription", "moderation", "contributions", "services", "research", "curated"},
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
    "curated": "curated",
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


# Function-level imports of our own modules that start-up order needs, each with its reason. Keep it small: every
# other import is at module level, where import graphs (and the test below) see it.
DEFERRED_FOR_START_UP = {
    "moderation/workflow_finish.py": "Wagtail imports it (WAGTAIL_FINISH_WORKFLOW_ACTION) while its models load",
}
# Module-level cycles: none is left, and a new one fails the test below.
KNOWN_CYCLES: set[frozenset[str]] = set()


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _our_modules() -> dict[str, Path]:
    return {_module_name(path): path for app in APPS for path in _python_files(app)}


def _imports(path: Path) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement in the file, and whether it runs inside a function (deferred) rather than on load.
    An AppConfig.ready() is the exception Django makes: it runs once every app is loaded, so models can be imported
    only there, and what it imports is counted as neither."""
    found = []

    def visit(node: ast.AST, deferred: bool, in_app_config: bool = False) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                found.append((child, deferred))
            elif isinstance(child, ast.ClassDef):
                names = {base.id if isinstance(base, ast.Name) else getattr(base, "attr", "") for base in child.bases}
                visit(child, deferred, "AppConfig" in names)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if not (in_app_config and child.name == "ready"):
                    visit(child, True)
            else:
                visit(child, deferred, in_app_config)

    visit(ast.parse(path.read_text(), filename=str(path)), False)
    return found


def _targets(path: Path, node: ast.Import | ast.ImportFrom, modules: dict[str, Path]) -> set[str]:
    """Our modules an import statement loads, by absolute name ("from . import links" in stories/api_fields.py
    loads stories.links; "from .models import StoryPage" loads stories.models)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        package = _module_name(path).split(".")[: None if path.name == "__init__.py" else -1]
        base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
        module = ".".join(part for part in (base, node.module or "") if part)
        names = [f"{module}.{alias.name}" for alias in node.names]
    targets = set()
    for name in names:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        if name:
            targets.add(name)
    return targets


def test_our_modules_import_each_other_on_load_unless_start_up_order_needs_it():
    """A function-level import of our own code hides a cycle from every import graph, inside an app as between apps
    (a module that needs another that needs it back is a design to untangle, not an import to move into a
    function). Only AppConfig.ready(), the modules in DEFERRED_FOR_START_UP, and management commands (which nothing
    imports, so they can close no cycle) may import our modules inside a function."""
    modules = _our_modules()
    deferred = []
    for path in modules.values():
        where = path.relative_to(ROOT)
        if str(where) in DEFERRED_FOR_START_UP or "commands" in where.parts:
            continue
        for node, in_function in _imports(path):
            if in_function and (targets := _targets(path, node, modules)):
                deferred.append(f"{where}:{node.lineno} imports {', '.join(sorted(targets))} inside a function")
    assert not deferred, "deferred imports of our own modules:\n" + "\n".join(deferred)


def test_modules_import_each_other_without_cycles():
    """With every import on load (above), the import graph shows every dependency: within each app it points one
    way too, from pages down to the models and helpers they are made of."""
    modules = _our_modules()
    graph = {
        name: {
            target
            for node, in_function in _imports(path)
            if not in_function
            for target in _targets(path, node, modules)
        }
        - {name}
        for name, path in modules.items()
    }
    assert _cycles(graph) == KNOWN_CYCLES


def _cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    found = set()

    def connect(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        for other in graph[module]:
            if other not in index:
                connect(other)
                lowest[module] = min(lowest[module], lowest[other])
            elif other in stack:
                lowest[module] = min(lowest[module], index[other])
        if lowest[module] == index[module]:
            component = {stack.pop()}
            while module not in component:
                component.add(stack.pop())
            if len(component) > 1:
                found.add(frozenset(component))

    for module in graph:
        if module not in index:
            connect(module)
    return found
