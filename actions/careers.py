"""One action per kind of request; each only names the bot.dialogue function."""

from bot.dialogue import about_me, after_risk, answers, professions, resources, routes

from actions.adapter import DialogueAction


class ActionUnderstandMe(DialogueAction):
    action_name = "action_understand_me"
    handle = staticmethod(about_me.understand_me)


class ActionFindCareer(DialogueAction):
    action_name = "action_find_career"
    handle = staticmethod(about_me.find_career)


class ActionMyResults(DialogueAction):
    action_name = "action_my_results"
    handle = staticmethod(about_me.my_results)


class ActionProfessionDetail(DialogueAction):
    action_name = "action_profession_detail"
    handle = staticmethod(professions.detail)


class ActionListAhps(DialogueAction):
    action_name = "action_list_ahps"
    handle = staticmethod(professions.list_ahps)


class ActionCompare(DialogueAction):
    action_name = "action_compare"
    handle = staticmethod(professions.compare)


class ActionRoutes(DialogueAction):
    action_name = "action_routes"
    handle = staticmethod(routes.routes)


class ActionReturnToPractice(DialogueAction):
    action_name = "action_return_to_practice"
    handle = staticmethod(routes.return_to_practice)


class ActionMyth(DialogueAction):
    action_name = "action_myth"
    handle = staticmethod(routes.myth)


class ActionResources(DialogueAction):
    action_name = "action_resources"
    handle = staticmethod(resources.resources)


class ActionKeyDates(DialogueAction):
    action_name = "action_key_dates"
    handle = staticmethod(resources.key_dates)


class ActionAnswer(DialogueAction):
    action_name = "action_answer"
    handle = staticmethod(answers.answer)


class ActionAfterRisk(DialogueAction):
    action_name = "action_after_risk"
    handle = staticmethod(after_risk.after_risk)
