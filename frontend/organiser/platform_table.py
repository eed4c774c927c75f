"""How the per-platform table and its chart are shown, on the statistics page and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contest.models import Contest
from contest.statistics import PlatformTable, Share, participant_columns, platform_table, share_label

# The chart's geometry, in SVG units, drawn at most at its own size (so its text stays 14 px on a wide
# screen, and about 12 px on a 375 px phone): each bar has its name on a line above it, so long names
# never overlap, and bars run up to BAR_WIDTH for 100 %, the value after the bar.
CHART_WIDTH = 400
BAR_WIDTH = 300
ROW_HEIGHT = 42
BAR_HEIGHT = 14
NAME_HEIGHT = 16
#: How far the names typed under "Other" are indented under it.
INDENT = 16
#: Characters of a name the chart shows (the full name is in the bar's title and the table).
NAME_CHARACTERS = 48


@dataclass(frozen=True)
class _Row:
    """A line of the table: a platform (or a name typed under "Other") and its cells as organisers write them."""

    name: str
    cells: list[str]
    other_name: bool = False


@dataclass(frozen=True)
class _Bar:
    """One bar of the chart: the share of all participants who used a platform (or named it under "Other")."""

    name: str
    label: str
    name_x: int
    name_y: int
    x: int
    y: int
    text_y: int
    width: float
    value_x: float
    other_name: bool


def _cells(shares: list[Share]) -> list[str]:
    return [share_label(share) for share in shares]


def _rows(table: PlatformTable) -> list[_Row]:
    rows = []
    for row in table.rows:
        rows.append(_Row(name=row.platform.name, cells=_cells(row.shares)))
        rows += [_Row(name=other.name, cells=_cells(other.shares), other_name=True) for other in row.others]
    return rows


def _chart_order(table: PlatformTable) -> list[tuple[str, Share, bool]]:
    """Platforms largest first (ties in the contest's order), each "Other" followed by its names, largest first."""
    ordered: list[tuple[str, Share, bool]] = []
    for row in sorted(table.rows, key=lambda row: -row.shares[-1].count):
        ordered.append((row.platform.name, row.shares[-1], False))
        ordered += [(other.name, other.shares[-1], True) for other in row.others]
    return ordered


def _bars(table: PlatformTable) -> list[_Bar]:
    bars = []
    for index, (name, total, other_name) in enumerate(_chart_order(table)):
        x = INDENT if other_name else 0
        width = float(total.percent / Decimal(100)) * (BAR_WIDTH - x)
        top = index * ROW_HEIGHT
        y = top + NAME_HEIGHT + 4
        bars.append(
            _Bar(
                name=name,
                label=share_label(total),
                name_x=x,
                name_y=top + NAME_HEIGHT - 2,
                x=x,
                y=y,
                text_y=y + BAR_HEIGHT - 2,
                width=round(width, 1),
                value_x=round(x + width + 6, 1),
                other_name=other_name,
            )
        )
    return bars


def platform_context(contest: Contest, columns: list[Any] | None = None) -> dict[str, Any]:
    """What the per-platform table and its chart need; the dashboard shows them too."""
    columns = columns if columns is not None else participant_columns(contest=contest)
    platforms = platform_table(contest=contest, columns=columns)
    bars = _bars(platforms)
    return {
        "columns": columns,
        "rows": _rows(platforms),
        "bars": bars,
        "chart": {
            "width": CHART_WIDTH,
            "height": max(len(bars), 1) * ROW_HEIGHT,
            "bar_height": BAR_HEIGHT,
            "name_characters": NAME_CHARACTERS,
        },
        "participants": columns[-1].participants,
    }
