"""The impact report: what the guide's "How will you measure your success and
impact?" asks, from the conversation store, as aggregated figures only.

`figures.py` turns stored events into counts (no Rasa imports); `render.py`
writes the HTML report with charts and the CSV/JSON exports;
`python -m bot.report` (`make report`) runs both.
"""
