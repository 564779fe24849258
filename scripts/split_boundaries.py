"""Split the national TopoJSON boundaries into one file per province, so that the map
loads the regencies and kecamatan of one province at a time.

    python scripts/split_boundaries.py SOURCE_DIR pilar/reports/static/pilar/maps

SOURCE_DIR holds provinces.topo.json, regencies.topo.json and districts.topo.json
(each geometry's `id` is its dotted area code). Each output file keeps only the arcs
its geometries use, renumbered; the quantisation transform is unchanged. Run once
when the boundaries are updated; the output is committed with the source's LICENSE.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any


def _walk(arcs: Any, visit: Any) -> Any:
    """Rebuild a nested arc-index list, mapping every index through `visit`."""
    if isinstance(arcs, int):
        return visit(arcs)
    return [_walk(item, visit) for item in arcs]


def subset(topology: dict[str, Any], name: str, geometries: list[dict[str, Any]]) -> dict[str, Any]:
    used: dict[int, int] = {}

    def remember(index: int) -> int:
        arc = index if index >= 0 else ~index
        if arc not in used:
            used[arc] = len(used)
        new = used[arc]
        return new if index >= 0 else ~new

    kept = [{**geometry, "arcs": _walk(geometry["arcs"], remember)} for geometry in geometries]
    arcs = [None] * len(used)
    for old, new in used.items():
        arcs[new] = topology["arcs"][old]
    return {
        "type": "Topology",
        "transform": topology["transform"],
        "objects": {name: {"type": "GeometryCollection", "geometries": kept}},
        "arcs": arcs,
    }


def main(source: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(source / "provinces.topo.json", target / "provinces.topo.json")
    for filename in ("LICENSE", "README.md"):
        shutil.copy(source / filename, target / f"SOURCE-{filename}")
    for layer in ("regencies", "districts"):
        topology = json.loads((source / f"{layer}.topo.json").read_text())
        by_province: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for geometry in topology["objects"][layer]["geometries"]:
            by_province[geometry["id"][:2]].append(geometry)
        for province, geometries in sorted(by_province.items()):
            part = subset(topology, layer, geometries)
            (target / f"{layer}-{province}.topo.json").write_text(json.dumps(part, separators=(",", ":")))
        print(f"{layer}: {len(by_province)} provinces")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
