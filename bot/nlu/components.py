"""Rasa 3 graph components over the KB-built spaCy pipeline (see config.yml).

Both receive the spaCy model that SpacyNLP loads from var/spacy/ahp_en, so the
pipeline is loaded once per Rasa process. The reader also opens the knowledge
database (read only) for the cue lists the matcher reads with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, List, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.arbiter import choose, knowledge_intent

if TYPE_CHECKING:  # (imported when first needed: they load the knowledge base and spaCy)
    from bot.matching.understanding import Understander
    from bot.safety import SafetyCheck

READING = "reading"  # the key of the reading in the parse data (bot.matching.reading)
SAFETY = "safety"  # set by the safeguarding check for the reader: the message without risk
CAREER_RANKING = "career_ranking"  # DIET's intents for the career part of a message at risk


class _PerModel:
    """Builds a helper once per spaCy model (process() is called with the model)."""

    def __init__(self):
        self._built: dict[int, Any] = {}

    def get(self, model: SpacyModel, build):
        key = id(model.model)
        if key not in self._built:
            self._built[key] = build(model.model)
        return self._built[key]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False, model_from="SpacyNLP")
class MessageReader(GraphComponent, EntityExtractorMixin):
    """Reads every message once (bot.matching.understanding): professions, profession
    groups and routes as entities with knowledge-base ids (and a role: the profession
    the person wants to become is `target`), and the whole reading (interests,
    circumstances, years out...) in the parse data under `reading`, for the actions."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # "AHPs" names every profession at once: the dialogue treats it as a topic, not a choice;
        # knowledge_db: None reads var/knowledge.db (AHP_VAR_DIR), like the action server
        return {"skip_groups": ["allied-health-professions"], "knowledge_db": None}

    def __init__(self, config: Dict[Text, Any]):
        self._config = config
        self._readers = _PerModel()

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MessageReader":
        return cls(config)

    def _reader(self, nlp) -> tuple[Understander, Callable[[str], str | None]]:
        """The reader, and the intent the knowledge base's words point to (bot.nlu.arbiter)."""
        from bot.knowledge.repository import KnowledgeBase
        from bot.matching.understanding import Understander
        from bot.nlp import Normaliser

        kb = KnowledgeBase(self._config.get("knowledge_db"))
        normaliser = Normaliser.from_pipeline(nlp, kb)
        return Understander(nlp, normaliser, kb), knowledge_intent(kb, normaliser)

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        reader, by_knowledge = self._readers.get(model, self._reader)
        skip = set(self._config["skip_groups"])
        for message in messages:
            career = (message.get(SAFETY) or {}).get("career")
            reading = reader.read(career if career is not None else message.get(TEXT) or "")
            found = [f.to_rasa() for f in reading.entities if not (f.entity == "profession_group" and f.value in skip)]
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True)
            message.set(READING, reading.to_dict(), add_to_output=True)
            intent = (message.get(INTENT) or {}).get("name")
            if intent != "at_risk" and career is None:
                better = choose(message.get(INTENT_RANKING_KEY) or [], reading, message.get(TEXT) or "", by_knowledge)
                if better:
                    message.set(INTENT, better, add_to_output=True)
                    message.set(
                        INTENT_RANKING_KEY,
                        ranked_first(better, message.get(INTENT_RANKING_KEY) or []),
                        add_to_output=True,
                    )
        return messages


def ranked_first(chosen: dict, ranking: list[dict]) -> list[dict]:
    """The ranking with the arbiter's choice first and the rest scaled to share what
    is left of its confidence, in DIET's order. Left as they were, DIET's old first
    choice (0.96) would sit next to the chosen intent (0.9) and the FallbackClassifier
    would call the two "ambiguous" and ask "did you mean ...?" instead of answering."""
    others = [dict(r) for r in ranking if r.get("name") != chosen["name"]]
    total = sum(r.get("confidence", 0.0) for r in others)
    left = max(0.0, 1.0 - chosen.get("confidence", 0.0))
    for r in others:
        r["confidence"] = r.get("confidence", 0.0) * left / total if total else 0.0
    return [chosen] + others


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class SafetyScreen(GraphComponent):
    """First in the pipeline: checks every sentence of a message for risk (bot/safety.py).
    When one is at risk, the rest of the pipeline reads only the other sentences, the
    career part, so DIET's intents and the reading describe what the person asked as
    well as the urgent help the SafeguardingClassifier then chooses. (The tracker keeps
    the whole message: only the parse data's `text` is the career part.)"""

    @classmethod
    def required_components(cls) -> List[Type]:
        return []  # first in the pipeline: it loads the KB-built spaCy pipeline itself

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # model: the trained classifier (bot/safety_model.py); pipeline: the KB-built spaCy
        # pipeline (for its lists, normaliser and lemma table); None reads them from var/
        return {"model": None, "pipeline": None}

    def __init__(self, config: Dict[Text, Any]):
        self._config = config
        self._check: SafetyCheck | None = None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SafetyScreen":
        return cls(config)

    def check(self):
        if self._check is None:
            from bot.config import settings
            from bot.nlp import load_pipeline
            from bot.safety import SafetyCheck
            from bot.safety_model import RiskModel

            nlp = load_pipeline(str(self._config.get("pipeline") or settings().spacy_model_dir))
            self._check = SafetyCheck.from_pipeline(
                nlp, RiskModel.load(self._config.get("model") or settings().safety_model)
            )
        return self._check

    def process(self, messages: List[Message]) -> List[Message]:
        check = self.check()
        for message in messages:
            verdict = check.assess(message.get(TEXT) or "")
            if verdict.risk:
                message.set(SAFETY, {"kind": verdict.kind, "career": verdict.career})
                if verdict.career.strip():
                    message.set(TEXT, verdict.career)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafeguardingClassifier(GraphComponent, IntentClassifier):
    """Sets the intent to `at_risk`, with the kind of risk as the entity `risk_kind`, when
    the SafetyScreen found any sentence of the message at risk; and withdraws an `at_risk`
    from any other classifier when it did not, so career talk about mental health is no
    false alarm.

    It runs after DIET and before the FallbackClassifier: a child in danger must get the
    urgent-help reply even when DIET is unsure. DIET's ranking of the career part stays,
    for the career answer that follows the urgent help.
    """

    @classmethod
    def required_components(cls) -> List[Type]:
        return [SafetyScreen]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"intent": "at_risk", "entity": "risk_kind"}

    def __init__(self, config: Dict[Text, Any]):
        self._config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SafeguardingClassifier":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        name = self._config["intent"]
        for message in messages:
            found = message.get(SAFETY)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
            if found:
                # at_risk alone in the ranking, so the fallback never finds it "ambiguous";
                # DIET's ranking of the career part is kept apart for the career answer
                message.set(INTENT, {"name": name, "confidence": 1.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": 1.0}], add_to_output=True)
                message.set(CAREER_RANKING, ranking, add_to_output=True)
                entity = {
                    "entity": self._config["entity"],
                    "value": found["kind"],
                    "start": 0,
                    "end": 0,
                    "confidence_entity": 1.0,
                    "extractor": self.__class__.__name__,
                }
                message.set(ENTITIES, message.get(ENTITIES, []) + [entity], add_to_output=True)
            elif (message.get(INTENT) or {}).get("name") == name and ranking:
                # an "at risk" guess with nothing at risk found: the next likeliest
                # intent stands (the fallback may still ask)
                message.set(INTENT, dict(ranking[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
