"""Pure layout helpers for the positions pages: a two-colour bar chart of positions for and
against a target by month, and the disagreement network laid out on a circle. They return
numbers and records only; the templates escape every text they print."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from onrecord.store.stances import DisagreementNetwork, NetworkEdge, StanceMonth


@dataclass(frozen=True)
class StanceBar:
    """One bar: a month (or year, or 'undated'), a stance, its count and geometry."""

    label: str
    stance: str  # 'favor' or 'against'
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class StanceChart:
    bars: tuple[StanceBar, ...]
    labels: tuple[str, ...]  # one per slot, in order
    width: int
    height: int
    top: int
    first: str
    last: str


def stance_chart(
    months: Sequence[StanceMonth], undated_favor: int = 0, undated_against: int = 0, width: int = 640, height: int = 140,
    max_bars: int = 72, max_slot: float = 56.0,
) -> StanceChart:  # fmt: skip
    """Side-by-side bars for and against per month (per year beyond max_bars months), undated last."""
    slots = [(m.month, m.favor, m.against) for m in months]
    if len(slots) > max_bars:
        by_year: dict[str, list[int]] = {}
        for month, f, a in slots:
            year = by_year.setdefault(month[:4], [0, 0])
            year[0] += f
            year[1] += a
        slots = [(y, f, a) for y, (f, a) in sorted(by_year.items())]
    if undated_favor or undated_against:
        slots.append(("undated", undated_favor, undated_against))
    top = max((max(f, a) for _, f, a in slots), default=0)
    slot = min(width / max(1, len(slots)), max_slot)
    gap = min(6.0, slot * 0.2)
    bar_width = (slot - gap) / 2
    bars = []
    for i, (label, favor, against) in enumerate(slots):
        for j, (stance, n) in enumerate((("favor", favor), ("against", against))):
            tall = round(height * n / top, 2) if top else 0.0
            x = round(i * slot + gap / 2 + j * bar_width, 2)
            bars.append(StanceBar(label, stance, n, x, round(height - tall, 2), round(bar_width, 2), tall))
    used = max(120, round(slot * len(slots)))
    labels = tuple(s[0] for s in slots)
    return StanceChart(tuple(bars), labels, min(width, used), height, top, labels[0] if labels else "", labels[-1] if labels else "")


@dataclass(frozen=True)
class PlacedNode:
    entity_id: int
    name: str
    x: float
    y: float
    r: float
    label_x: float
    label_y: float
    anchor: str  # text-anchor of the label: 'start', 'middle' or 'end'
    weight: int


@dataclass(frozen=True)
class PlacedEdge:
    number: int  # the edge's row in the table (#edge-N)
    edge: NetworkEdge
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    explicit: bool  # solid with an arrow a -> b when an article states it; dashed when only derived


@dataclass(frozen=True)
class NetworkLayout:
    nodes: tuple[PlacedNode, ...]
    edges: tuple[PlacedEdge, ...]
    size: int


def network_layout(network: DisagreementNetwork, size: int = 640, margin: float = 150.0) -> NetworkLayout:
    """Nodes evenly on a circle (heaviest at the top, clockwise), node radius and edge width by
    weight; edges end at the node's rim so an arrow head shows."""
    n = len(network.nodes)
    centre, radius = size / 2, max(40.0, size / 2 - margin)
    heaviest_node = max((nd.explicit + nd.derived for nd in network.nodes), default=1) or 1
    placed: dict[int, PlacedNode] = {}
    for i, node in enumerate(network.nodes):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, n)
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        weight = node.explicit + node.derived
        r = 7 + 9 * weight / heaviest_node
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        lx, ly = centre + (radius + r + 8) * cos, centre + (radius + r + 8) * math.sin(angle)
        placed[node.entity_id] = PlacedNode(node.entity_id, node.name, round(x, 1), round(y, 1), round(r, 1),
                                            round(lx, 1), round(ly + 4, 1), anchor, weight)  # fmt: skip
    heaviest_edge = max((e.weight for e in network.edges), default=1) or 1
    edges = []
    for number, edge in enumerate(network.edges, 1):
        a, b = placed[edge.a], placed[edge.b]
        dx, dy = b.x - a.x, b.y - a.y
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        edges.append(PlacedEdge(
            number, edge, round(a.x + ux * a.r, 1), round(a.y + uy * a.r, 1), round(b.x - ux * (b.r + 3), 1),
            round(b.y - uy * (b.r + 3), 1), round(1.5 + 4.5 * edge.weight / heaviest_edge, 1), edge.explicit > 0,
        ))  # fmt: skip
    return NetworkLayout(tuple(placed.values()), tuple(edges), size)
