"""The report as files: a self-contained HTML page (charts as embedded PNG,
each with the same figures in a table beneath it), figures.json and
figures.csv. Every label is escaped; suppressed groups show as "fewer than 5"."""

from __future__ import annotations

import base64
import csv
import html
import io
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no screen
import matplotlib.pyplot as plt

from bot.report.figures import Figures

NHS_BLUE, NHS_DARK, NHS_WARM = "#005eb8", "#003087", "#ed8b00"
SUPPRESSED = "fewer than 5"


def _shown(value) -> str:
    if value is None:
        return SUPPRESSED
    if isinstance(value, float):
        return f"{value:.1%}"
    return str(value)


def _chart(
    labels: list[str], values: list, title: str, horizontal: bool = False, highlight: set[str] | None = None
) -> str:
    """A bar chart as a base64 PNG; suppressed values are drawn as 0."""
    heights = [v or 0 for v in values]
    colours = [NHS_WARM if highlight and label in highlight else NHS_BLUE for label in labels]
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.32 * len(labels) + 1) if horizontal else 3.2), dpi=100)
    if horizontal:
        ax.barh(labels[::-1], heights[::-1], color=colours[::-1])
    else:
        ax.bar(labels, heights, color=colours)
        if len(labels) > 8:
            ax.tick_params(axis="x", labelrotation=60, labelsize=8)
    ax.set_title(title, color=NHS_DARK)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _section(
    title: str,
    data: dict,
    names: dict[str, str],
    note: str = "",
    horizontal: bool = False,
    highlight: set[str] | None = None,
) -> str:
    e = html.escape
    if not data:
        return f"<section><h2>{e(title)}</h2><p>Nothing in this period.</p></section>"
    labels = [names.get(k, k) for k in data]
    picture = _chart(labels, list(data.values()), title, horizontal, {names.get(k, k) for k in (highlight or set())})
    rows = "".join(
        f"<tr><th scope='row'>{e(names.get(k, k))}"
        f"{' <span class=flag>(in demand)</span>' if highlight and k in highlight else ''}"
        f"</th><td>{e(_shown(v))}</td></tr>"
        for k, v in data.items()
    )
    return (
        f"<section><h2>{e(title)}</h2>{f'<p>{e(note)}</p>' if note else ''}"
        f"<img src='data:image/png;base64,{picture}' alt='Bar chart: {e(title)}. "
        f"The same figures are in the table below.'>"
        f"<table><thead><tr><th scope='col'>Item</th><th scope='col'>Conversations</th></tr>"
        f"</thead><tbody>{rows}</tbody></table></section>"
    )


STYLE = """body{font-family:Arial,sans-serif;color:#212b32;max-width:60rem;margin:0 auto;padding:1rem}
h1,h2{color:#003087}img{max-width:100%;height:auto}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border:1px solid #d8dde0;padding:.25rem .5rem;text-align:left}td{text-align:right}
.flag{color:#8a4c00;font-weight:normal}.key{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.5rem}
.key div{background:#f0f4f5;padding:.75rem}.key b{display:block;font-size:1.6rem;color:#005eb8}"""


def write(figures: Figures, out_dir: Path, names: dict[str, str], in_demand: set[str]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    data = figures.to_dict()
    (out_dir / "figures.json").write_text(json.dumps(data, indent=2) + "\n")
    with open(out_dir / "figures.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["figure", "item", "value"])
        for key, value in data.items():
            if isinstance(value, dict):
                for item, count in value.items():
                    writer.writerow([key, item, "" if count is None else count])
            else:
                writer.writerow([key, "", "" if value is None else value])

    e = html.escape
    key_figures = [
        ("Conversations", figures.conversations),
        ("Returning visitors", figures.returning_visitors),
        ("Messages from people", figures.user_messages),
        ("Return-to-practice conversations", figures.rtp_conversations),
        ("Not understood (fallback)", figures.fallback_rate),
        ("Out of scope", figures.out_of_scope_rate),
        ("Urgent-help replies (count only)", figures.safeguarding_replies),
    ]
    cards = "".join(f"<div>{e(label)}<b>{e(_shown(v))}</b></div>" for label, v in key_figures)
    sections = [
        _section("Conversations per day", figures.per_day, names),
        _section("Conversations per week", figures.per_week, names),
        _section(
            "Who is asking",
            figures.audience,
            names,
            "From what people said about themselves; 'not said' when they didn't.",
        ),
        _section(
            "Professions recommended",
            figures.recommended,
            names,
            "Orange: shortage or small and vital professions in the guide.",
            True,
            in_demand,
        ),
        _section(
            "Professions asked about",
            figures.asked_about,
            names,
            "Orange: shortage or small and vital professions in the guide.",
            True,
            in_demand,
        ),
        _section("Routes explored", figures.routes, names, horizontal=True),
        _section("Resources shown", figures.resources_shown, names, horizontal=True),
        _section("Resources opened", figures.resources_clicked, names, horizontal=True),
        _section("Was this helpful?", figures.feedback, names),
    ]
    page = (
        f"<!doctype html><html lang='en-GB'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>AHP careers guide: impact report {e(figures.start)} to {e(figures.end)}</title>"
        f"<style>{STYLE}</style></head><body><main>"
        f"<h1>AHP careers guide: impact report</h1>"
        f"<p>{e(figures.start)} to {e(figures.end)}. Aggregated figures only: groups of fewer "
        f"than {figures.suppressed_below} are not shown, and nothing anyone typed is included.</p>"
        f"<div class='key'>{cards}</div>{''.join(sections)}</main></body></html>"
    )
    path = out_dir / "report.html"
    path.write_text(page)
    return path
