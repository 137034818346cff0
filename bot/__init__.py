"""The AHP careers guide: knowledge base, matching, dialogue and channels.

Plain Python with no Rasa imports, so that the tests, the benchmarks and any
channel can use it directly, except the modules Rasa loads itself: the REST
channel (bot/channels), the NLU components (bot/nlu), the tracker store and
the fixes to Rasa.
"""
