"""Reading messages for Rasa: knowledge-base entities and the safeguarding check.

`entities.py` is plain Python over the KB-built spaCy pipeline; `components.py`
wraps it (and bot/safety.py) as Rasa 3 graph components for config.yml.
"""
