"""The code's own rules that no linter states: no module takes another module's private names (a function whose
name starts with "_" is its module's business), and the import layers hold (import-linter, also run by make lint)."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "doudi"


def _private_uses(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (node.module.startswith("doudi") or node.level):
            found += [
                f"{path.relative_to(root.parent)}:{node.lineno} imports {a.name}"
                for a in node.names
                if a.name.startswith("_") and not a.name.startswith("__")
            ]
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            if isinstance(node.value, ast.Name) and node.value.id not in ("self", "cls") and node.attr != "_meta":
                found.append(f"{path.relative_to(root.parent)}:{node.lineno} uses {node.value.id}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names():
    found = [
        use for path in sorted(ROOT.rglob("*.py")) if "migrations" not in path.parts for use in _private_uses(path)
    ]
    assert found == []


def test_the_private_name_check_can_fail(tmp_path):
    sample = tmp_path / "core" / "sample.py"
    sample.parent.mkdir()
    sample.write_text(
        "from doudi.cases import actions\nfrom doudi.payments.actions import _lock\nactions._decision(None)\n"
    )
    assert len(_private_uses(sample, root=tmp_path)) == 2


def test_import_layers_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], cwd=ROOT.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
