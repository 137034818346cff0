"""After the urgent-help reply (domain.yml), the career part of the
same message is still answered, so a young person who mentions something
worrying in passing is not pushed away from what they came to ask."""

from __future__ import annotations

from dataclasses import replace

from bot.dialogue import about_me, answers, professions, resources, routes
from bot.dialogue.reply import Reply, Turn
from bot.dialogue.services import Services

# the careers requests a message can carry besides the risk, and who answers each
CAREER_HANDLERS = {
    "tell_about_me": about_me.understand_me,
    "find_career": about_me.find_career,
    "ask_my_results": about_me.my_results,
    "ask_routes": routes.routes,
    "ask_return_to_practice": routes.return_to_practice,
    "ask_rtp_myth": routes.myth,
    "ask_profession_info": professions.detail,
    "ask_profession_settings": professions.detail,
    "ask_regulator": professions.detail,
    "ask_entry_requirements": professions.detail,
    "ask_pay": professions.detail,
    "ask_demand": professions.detail,
    "compare_professions": professions.compare,
    "ask_what_are_ahps": professions.list_ahps,
    "ask_resources": resources.resources,
    "ask_key_dates": resources.key_dates,
    **{
        intent: answers.answer
        for intent in (
            "ask_money",
            "ask_practical",
            "ask_difference",
            "ask_progression",
            "ask_next_steps",
            "ask_outreach",
        )
    },
}
MIN_CONFIDENCE = 0.05  # below this DIET has no idea: no career answer is forced


def after_risk(ctx: Services, turn: Turn) -> Reply:
    reading = turn.reading
    if reading is None or reading.is_empty and not turn.text:
        return Reply()
    if reading.interests:
        intent = "tell_about_me"
    else:
        # the risk sentence's words weigh on DIET's ranking: "telling about me" needs
        # something about the person, which the career part lacks here
        ranked = [
            r
            for r in turn.ranking
            if r.get("name") in CAREER_HANDLERS
            and (r["name"] not in ("tell_about_me", "find_career") or reading.circumstances)
        ]
        says_something = reading.named or reading.groups or reading.routes or reading.circumstances
        if not ranked or ranked[0].get("confidence", 0) < MIN_CONFIDENCE or not says_something:
            return Reply()
        intent = ranked[0]["name"]
    career = CAREER_HANDLERS[intent](ctx, replace(turn, intent=intent))
    return Reply().say("utter_after_risk").extend(career) if career.messages else career
