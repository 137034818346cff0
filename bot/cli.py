"""A terminal conversation with the matcher: what `make run` starts until the
Rasa assistant and the website widget exist (see README.md, "Status").

Tell it about yourself over several lines; it keeps what you said, ranks the
professions with reasons and lists the routes in that fit you.
"""
from __future__ import annotations

import sys

from bot.matching import Matcher, Profile

MAX_MESSAGE = 2000


def describe(matcher: Matcher, profile: Profile) -> str:
    ranking = matcher.rank(profile)
    lines = []
    for s in ranking.top(3):
        lines.append(f"- {s.name} ({s.score:.2f}): " + "; ".join(s.to_payload()["reasons"]))
    if not lines:
        lines.append("I couldn't match that to a profession yet.")
    if ranking.vague:
        lines.append(matcher.reasons["vague"])
        for q in ranking.questions:
            lines.append(f"  {q.text} " + " / ".join(label for label, _ in q.options))
    elif ranking.top(1):
        best = ranking.top(1)[0]
        routes = matcher.fit_routes(best.id, profile)
        lines.append(f"Ways into {best.name.lower()} that fit you:")
        lines += [f"  - {r.name}: {' '.join(r.why)}" for r in routes]
    return "\n".join(lines)


def main() -> int:
    matcher = Matcher.from_settings()
    print("AHP careers guide (terminal). The Rasa assistant and the website widget are not "
          "built yet; this talks to the matcher directly.\nTell me about your interests, "
          "hobbies, strengths or situation. Type 'restart' to start again, Ctrl-D to stop.")
    profile = Profile()
    for line in sys.stdin if not sys.stdin.isatty() else iter(lambda: input("> "), None):
        text = line.strip()[:MAX_MESSAGE]
        if text.lower() == "restart":
            profile = Profile()
            print("Starting again.")
            continue
        if not text:
            continue
        profile, _ = matcher.recommend(text, profile)
        print(describe(matcher, profile))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (EOFError, KeyboardInterrupt):
        print()
        sys.exit(0)
