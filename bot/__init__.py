"""The AHP careers guide: knowledge base, matching and channels.

Plain Python with no Rasa imports, so that the tests, the benchmarks and any
channel can use it directly.
"""
