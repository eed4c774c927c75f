"""How the per-platform table and its chart are shown, on the statistics page and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from contest.models import Contest, Platform
from contest.statistics import PlatformTable, participant_columns, platform_table, share_label

# The chart's geometry, in SVG units: platform names on the left, bars up to BAR_WIDTH for 100 %.
CHART_WIDTH = 720
LABEL_WIDTH = 230
BAR_WIDTH = 400
ROW_HEIGHT = 28
BAR_HEIGHT = 18


@dataclass(frozen=True)
class _Row:
    """A platform's line of the table: its name and its cells as organisers write them."""

    platform: Platform
    cells: list[str]


@dataclass(frozen=True)
class _Bar:
    """One bar of the chart: the share of all participants who used a platform."""

    name: str
    label: str
    y: int
    text_y: int
    width: float
    value_x: float


def _rows(table: PlatformTable) -> list[_Row]:
    return [_Row(platform=row.platform, cells=[share_label(share) for share in row.shares]) for row in table.rows]


def _bars(table: PlatformTable) -> list[_Bar]:
    bars = []
    for index, row in enumerate(table.rows):
        total = row.shares[-1]
        width = float(total.percent / Decimal(100)) * BAR_WIDTH
        y = index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        bars.append(
            _Bar(
                name=row.platform.name,
                label=share_label(total),
                y=y,
                text_y=y + BAR_HEIGHT - 4,
                width=round(width, 1),
                value_x=round(LABEL_WIDTH + width + 6, 1),
            )
        )
    return bars


def platform_context(contest: Contest, columns: list[Any] | None = None) -> dict[str, Any]:
    """What the per-platform table and its chart need; the dashboard shows them too."""
    columns = columns if columns is not None else participant_columns(contest=contest)
    platforms = platform_table(contest=contest, columns=columns)
    return {
        "columns": columns,
        "rows": _rows(platforms),
        "bars": _bars(platforms),
        "chart": {
            "width": CHART_WIDTH,
            "height": max(len(platforms.rows), 1) * ROW_HEIGHT,
            "label_x": LABEL_WIDTH - 8,
            "bar_x": LABEL_WIDTH,
            "bar_height": BAR_HEIGHT,
        },
        "participants": columns[-1].participants,
    }
