"""Rasa 3 graph components over the KB-built spaCy pipeline (see config.yml).

Both receive the spaCy model that SpacyNLP loads from var/spacy/ahp_en, so the
pipeline is loaded once per Rasa process. The reader also opens the knowledge
database (read only) for the cue lists the matcher reads with.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.arbiter import choose

READING = "reading"  # the key of the reading in the parse data (bot.matching.reading)
SAFETY = "safety"    # set by the safeguarding check for the reader: the message without risk


class _PerModel:
    """Builds a helper once per spaCy model (process() is called with the model)."""

    def __init__(self):
        self._built: dict[int, Any] = {}

    def get(self, model: SpacyModel, build):
        key = id(model.model)
        if key not in self._built:
            self._built[key] = build(model.model)
        return self._built[key]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
                          is_trainable=False, model_from="SpacyNLP")
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
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "MessageReader":
        return cls(config)

    def _reader(self, nlp):
        from bot.knowledge.repository import KnowledgeBase
        from bot.matching.understanding import Understander
        from bot.nlp import Normaliser
        kb = KnowledgeBase(self._config.get("knowledge_db"))
        return Understander(nlp, Normaliser.from_pipeline(nlp, kb), kb)

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        reader = self._readers.get(model, self._reader)
        skip = set(self._config["skip_groups"])
        for message in messages:
            career = (message.get(SAFETY) or {}).get("career")
            reading = reader.read(career if career is not None else message.get(TEXT) or "")
            found = [f.to_rasa() for f in reading.entities
                     if not (f.entity == "profession_group" and f.value in skip)]
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found),
                        add_to_output=True)
            message.set(READING, reading.to_dict(), add_to_output=True)
            intent = (message.get(INTENT) or {}).get("name")
            if intent != "at_risk" and career is None:
                better = choose(message.get(INTENT_RANKING_KEY) or [], reading,
                                message.get(TEXT) or "")
                if better:
                    ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                               if r["name"] != better["name"]]
                    message.set(INTENT, better, add_to_output=True)
                    message.set(INTENT_RANKING_KEY, [better] + ranking, add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
                          is_trainable=False, model_from="SpacyNLP")
class SafeguardingClassifier(GraphComponent, IntentClassifier):
    """Sets the intent to `at_risk`, with the kind of risk as the entity `risk_kind`,
    when bot/safety.py finds any sentence of the message at risk; and withdraws DIET's
    `at_risk` when it does not, so career talk about mental health is no false alarm.

    It runs after DIET and before the FallbackClassifier: a child in danger must get
    the urgent-help reply even when the classifier is unsure. The rest of DIET's
    ranking stays, for the career answer that follows the urgent help.
    """

    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # model: the trained classifier (bot/safety_model.py); None reads var/safety/
        return {"intent": "at_risk", "entity": "risk_kind", "model": None}

    def __init__(self, config: Dict[Text, Any]):
        self._config = config
        self._checks = _PerModel()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafeguardingClassifier":
        return cls(config)

    def _check(self, nlp):
        from bot.config import settings
        from bot.safety import SafetyCheck
        from bot.safety_model import RiskModel
        return SafetyCheck.from_pipeline(
            nlp, RiskModel.load(self._config.get("model") or settings().safety_model))

    def process(self, messages: List[Message], model: SpacyModel) -> List[Message]:
        check = self._checks.get(model, self._check)
        name = self._config["intent"]
        for message in messages:
            verdict = check.assess(message.get(TEXT) or "")
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
            if verdict.risk:
                # the reader that follows reads only the rest, the career part
                message.set(SAFETY, {"kind": verdict.kind, "career": verdict.career})
                message.set(INTENT, {"name": name, "confidence": 1.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [{"name": name, "confidence": 1.0}] + ranking,
                            add_to_output=True)
                entity = {"entity": self._config["entity"], "value": verdict.kind,
                          "start": 0, "end": 0, "confidence_entity": 1.0,
                          "extractor": self.__class__.__name__}
                message.set(ENTITIES, message.get(ENTITIES, []) + [entity], add_to_output=True)
            elif (message.get(INTENT) or {}).get("name") == name and ranking:
                # DIET's guess of "at risk" with nothing at risk found: the next likeliest
                # intent stands (the fallback may still ask)
                message.set(INTENT, dict(ranking[0]), add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
