"""The action server's start-up point: `python -m bot.action_server ...` is
`python -m rasa_sdk ...` (same arguments) without TensorFlow, which nothing the
action server runs uses (bot.config.without_tensorflow)."""

from __future__ import annotations

from bot.config import without_tensorflow


def main() -> None:
    without_tensorflow()
    from rasa_sdk.__main__ import main as rasa_sdk_main

    rasa_sdk_main()


if __name__ == "__main__":
    main()
