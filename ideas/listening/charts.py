"""Server-rendered SVG charts of the listening figures (pygal), without JavaScript.

Each chart is inline SVG: it prints, scales to the page's width and needs no
script. It is decorative for screen readers (`aria-hidden`); every chart on a
page has a table beside it with the same numbers.
"""

import re

import pygal
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

from ideas.listening.selectors import ListeningRow

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#4b5563",
    foreground_strong="#1f2937",
    foreground_subtle="#e5e7eb",
    colors=("#3730a3", "#0f766e", "#b45309", "#7c3aed"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    label_font_size=22,
    major_label_font_size=22,
    value_font_size=18,
    legend_font_size=22,
    tooltip_font_size=18,
    title_font_size=22,
)


def _config(**extra) -> dict:
    return {
        "style": STYLE,
        "js": [],  # no script: the charts work without JavaScript and under a strict CSP
        "disable_xml_declaration": True,
        "width": 600,
        "height": 360,
        "show_legend": False,
        "print_values": False,
        "margin": 8,
        "spacing": 12,
        "x_label_rotation": 0,
        "show_minor_x_labels": False,
        "x_labels_major_every": 2,
        "truncate_label": 4,
        "stroke_style": {"width": 5},
        "dots_size": 6,
        "truncate_legend": 40,
        "no_data_text": _("No data yet"),
        **extra,
    }


SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _render(chart) -> SafeString:
    # pygal writes its tooltip configuration as a script even without its JS:
    # the page runs no inline script, so it goes, with the generator's comments.
    svg = COMMENT.sub("", SCRIPT.sub("", chart.render(is_unicode=True)))
    # Screen readers read the table beside the chart instead.
    svg = svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return mark_safe(svg)  # noqa: S308 (pygal escapes the labels it is given)


def _labels(months: list[ListeningRow]) -> list[str]:
    return [row.label.split()[0] for row in months]  # "Nov 2026" -> "Nov"


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def answers_chart(months: list[ListeningRow]) -> SafeString:
    chart = pygal.Line(
        **_config(
            range=(0, 100), show_legend=True, legend_at_bottom=True, legend_at_bottom_columns=1
        )
    )
    chart.x_labels = _labels(months)
    chart.add(_("Answered by staff (%)"), [_percent(row.answered_share) for row in months])
    chart.add(_("Answered within target (%)"), [_percent(row.share_in_target) for row in months])
    return _render(chart)


def median_chart(months: list[ListeningRow]) -> SafeString:
    chart = pygal.Bar(**_config())
    chart.x_labels = _labels(months)
    chart.add(
        _("Median hours to first answer"),
        [None if row.median_hours is None else round(row.median_hours, 1) for row in months],
    )
    return _render(chart)


def decided_chart(months: list[ListeningRow]) -> SafeString:
    chart = pygal.Bar(**_config(range=(0, 100)))
    chart.x_labels = _labels(months)
    chart.add(_("Ideas decided (%)"), [_percent(row.decided_share) for row in months])
    return _render(chart)


def shipped_chart(months: list[ListeningRow]) -> SafeString:
    chart = pygal.Bar(**_config(min_scale=1, max_scale=6))
    chart.x_labels = _labels(months)
    chart.add(_("Ideas shipped"), [row.shipped for row in months])
    return _render(chart)


def score_chart(months: list[ListeningRow]) -> SafeString:
    chart = pygal.Line(**_config(range=(-100, 100)))
    chart.x_labels = _labels(months)
    chart.add(_("Listening score"), [row.score.net for row in months])
    return _render(chart)


def report_charts(months: list[ListeningRow]) -> dict[str, SafeString]:
    return {
        "answers": answers_chart(months),
        "median": median_chart(months),
        "decided": decided_chart(months),
        "shipped": shipped_chart(months),
        "score": score_chart(months),
    }
