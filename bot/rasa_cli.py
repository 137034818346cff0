"""Rasa's command line with this project's four speed fixes to Rasa 3.6 in place
first (bot/rasa_patches.py): `python -m bot.rasa_cli run ...` is `rasa run ...`.
The start-up point of the Rasa server in `make run` and `make run-cluster`
(bot/stack.py gives both the command); it refuses to start on another Rasa.
"""

from __future__ import annotations

from bot import rasa_patches


def main() -> None:
    rasa_patches.apply()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
