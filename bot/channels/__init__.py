"""Rasa input channels (credentials.yml names them)."""
