"""The apps import one way (pyproject.toml, `[tool.importlinter]`): no app imports an
app above it, and no module imports itself back through others. `lint-imports`
checks the layers in `make lint`; these tests check the same layers, that breaking
them is seen, and that there is no import cycle inside an app either."""

import tomllib
from pathlib import Path

import grimp
import pytest

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _contract(contract_id: str) -> dict:
    config = tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]
    return next(c for c in config["contracts"] if c["id"] == contract_id)


def _layers() -> list[set[str]]:
    return [
        {name.strip() for name in layer.split("|")}
        for layer in _contract("layers")["layers"]
    ]


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("apps", "crvs_portal", cache_dir=None)


def _imports(graph: grimp.ImportGraph, module: str) -> list[str]:
    """What importing `module` runs: the modules it imports and, for each, the
    packages above it (their `__init__` runs first), bar `module`'s own."""
    found = set()
    for imported in graph.find_modules_directly_imported_by(module):
        while imported and not module.startswith(imported + "."):
            found.add(imported)
            imported = imported.rpartition(".")[0]
    found.discard(module)
    return sorted(found)


def _cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """Groups of modules that import each other, directly or through others
    (Tarjan's strongly connected components, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(_imports(graph, root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, iter(_imports(graph, other))))
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == module:
                            break
                    if len(component) > 1:
                        found.append(component)
    return found


@pytest.fixture(scope="module")
def graph():
    return _graph()


def test_every_app_is_in_a_layer(graph):
    placed = set().union(*_layers())
    apps = {m for m in graph.find_children("apps")} - {"apps.mosip_sandbox"}
    assert apps <= placed, apps - placed


def test_no_app_imports_an_app_above_it(graph):
    illegal = graph.find_illegal_dependencies_for_layers(layers=_layers())
    assert not illegal, [
        (d.importer, d.imported, [r.chain for r in d.routes]) for d in illegal
    ]


def test_no_module_imports_itself_back(graph):
    assert _cycles(graph) == []


def test_an_import_back_up_breaks_the_layers_and_makes_a_cycle():
    graph = _graph()
    # registrations reads onboarding's queries: onboarding reading registrations back
    # would close a cycle.
    graph.add_import(
        importer="apps.onboarding.queries", imported="apps.registrations.config"
    )
    illegal = graph.find_illegal_dependencies_for_layers(layers=_layers())
    assert {(d.importer, d.imported) for d in illegal} == {
        ("apps.onboarding", "apps.registrations")
    }
    assert any(
        {"apps.onboarding.queries", "apps.registrations.config"} <= cycle
        for cycle in _cycles(graph)
    )


@pytest.mark.parametrize(
    "contract_id", ["mosip-client", "sandbox-apart", "portal-without-sandbox"]
)
def test_forbidden_imports_are_absent(graph, contract_id):
    contract = _contract(contract_id)
    if contract.get("ignore_imports"):
        graph = _graph()  # its own: the shared one keeps every import
    for ignored in contract.get("ignore_imports", []):
        importer, imported = (part.strip() for part in ignored.split("->"))
        graph.remove_import(importer=importer, imported=imported)
    chains = [
        (source, forbidden)
        for source in contract["source_modules"]
        for forbidden in contract["forbidden_modules"]
        if source != forbidden
        and graph.chain_exists(importer=source, imported=forbidden, as_packages=True)
    ]
    assert chains == []
