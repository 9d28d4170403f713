"""The import rules of ARCHITECTURE.md, checked on the source (nothing is imported or run).

- the maths (every module but ``assignments`` and ``cli``: staffing, simulation, widgets,
  datasets, grading, and each course module added beside them) never imports the coach's and
  learner's tools (``opsfirst.assignments``) or the command line;
- ``assignments.notebooks``, the one cell model, imports no other room of ``assignments``;
- nothing in the package imports ``opsfirst.cli``;
- no module uses another module's private (``_name``) names: a helper two modules share has a
  public name (a private *module*, such as ``_inputs``, may be imported).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "opsfirst"
TOOLS = ("", "assignments", "cli")  # "": the package's own __init__; the rest is the maths
# grading keeps the feedback filter importable under its old name, lazily (course configs
# written before it moved import it from there); the only way the maths reaches the tools
ALLOWED = {("grading", "opsfirst.assignments.feedback")}


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path, ast.parse(path.read_text(), str(path))


def absolute(name: str, path: Path, node: ast.ImportFrom) -> str:
    """The module an ``import from`` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def is_module(dotted: str) -> bool:
    relative = Path(*dotted.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative).is_dir()


def imports(name: str, path: Path, tree) -> list[tuple[str, str, int]]:
    """(imported module, imported name or '', line) for every import, at any depth."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = absolute(name, path, node)
            for alias in node.names:
                dotted = f"{source}.{alias.name}"
                if source.startswith("opsfirst") and is_module(dotted):
                    found.append((dotted, "", node.lineno))
                else:
                    found.append((source, alias.name, node.lineno))
    return found


ALL = list(modules())


def room(name: str) -> str:
    return name.split(".")[1] if name.count(".") >= 1 else ""


@pytest.mark.parametrize("name,path,tree", [m for m in ALL if room(m[0]) not in TOOLS],
                         ids=lambda m: m if isinstance(m, str) else None)
def test_the_maths_never_imports_the_tools(name, path, tree):
    wrong = [(module, line) for module, _, line in imports(name, path, tree)
             if module.startswith(("opsfirst.assignments", "opsfirst.cli"))
             and (room(name), module) not in ALLOWED]
    assert not wrong, f"{path}: {wrong}"


def test_the_cell_model_stands_alone():
    name, path, tree = next(m for m in ALL if m[0] == "opsfirst.assignments.notebooks")
    wrong = [m for m, _, _ in imports(name, path, tree) if m.startswith("opsfirst")]
    assert not wrong, wrong


def test_nothing_imports_the_command_line():
    wrong = [(name, line) for name, path, tree in ALL for module, _, line in imports(name, path, tree)
             if module == "opsfirst.cli" and name != "opsfirst.cli"]
    assert not wrong, wrong


def test_no_module_uses_another_modules_private_names():
    wrong = []
    for name, path, tree in ALL:
        aliases = {}
        for module, imported, line in imports(name, path, tree):
            if not module.startswith("opsfirst") or module == name:
                continue
            if imported.startswith("_") and not imported.startswith("__"):
                wrong.append(f"{path.name}:{line} imports {imported} from {module}")
        for node in ast.walk(tree):  # `from . import _inputs` then `_inputs._show(...)`
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    if is_module(f"{absolute(name, path, node)}.{alias.name}"):
                        aliases[alias.asname or alias.name] = alias.name
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("opsfirst") and alias.asname:
                        aliases[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                wrong.append(f"{path.name}:{node.lineno} uses {node.value.id}.{node.attr}")
    assert not wrong, wrong
