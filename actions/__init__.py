"""rasa-sdk actions: thin adapters from a tracker to bot.dialogue and back."""
