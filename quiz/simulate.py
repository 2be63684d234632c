"""Simulated candidates for realistic volumes: they start, answer and submit through the services.

Each candidate has an ability; each item a difficulty (from its writer's estimate, with noise)
and a discrimination. The chance of a right answer follows the two-parameter logistic model,
P = 1 / (1 + exp(-a (ability - b))). A wrong answer picks a distractor by that item's own
popularity weights, so some distractors attract and some are almost never chosen, as in real use.
About one item in forty discriminates weakly, as some items in any real bank do.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quiz.accounts.models import UNUSABLE_PASSWORD, User
from quiz.delivery import service as delivery
from quiz.delivery.models import Attempt, Booking, Sitting
from quiz.itembank.models import ItemVersion

DIFFICULTY = {"easy": -1.2, "medium": -0.2, "hard": 0.8}
FIRST_NAMES = ("Aisha", "Ben", "Chloe", "Daniel", "Ella", "Farid", "Grace", "Harry", "Isla",
               "Jack", "Kiran", "Leah", "Mohammed", "Niamh", "Oliver", "Priya", "Quinn", "Rhys",
               "Sophie", "Tomasz", "Uma", "Victor", "Wei", "Yasmin", "Zac")
LAST_NAMES = ("Ahmed", "Brown", "Clarke", "Davies", "Evans", "Fraser", "Green", "Hughes",
              "Iqbal", "Jones", "Khan", "Lewis", "Murphy", "Nowak", "O'Brien", "Patel", "Roberts",
              "Singh", "Taylor", "Walker", "Wilson", "Wright", "Young")


@dataclass(frozen=True)
class ItemBehaviour:
    """How a simulated item behaves: its difficulty, discrimination and distractor pull."""

    difficulty: float
    discrimination: float
    popularity: dict[str, float]  # distractor letter -> weight


def behaviour(version: ItemVersion, seed: int) -> ItemBehaviour:
    """Return an item version's simulated behaviour, the same for the same seed."""
    rng = random.Random(f"{seed}:{version.id}")
    weak = rng.random() < 0.025
    distractors = [letter for letter in version.options if letter != version.key]
    # Skewed, so some distractors pull and some hardly do, with a floor: few are never chosen.
    weights = {letter: 0.3 + rng.random() ** 2 for letter in distractors}
    return ItemBehaviour(
        difficulty=DIFFICULTY.get(version.difficulty, 0.0) + rng.gauss(0, 0.5),
        discrimination=rng.uniform(-0.2, 0.3) if weak else rng.uniform(0.7, 2.0),
        popularity=weights)


def chooses(rng: random.Random, ability: float, item: ItemBehaviour, key: str) -> str | None:
    """Return the stored letter a candidate of this ability picks (None: left unanswered)."""
    p_right = 1 / (1 + math.exp(-item.discrimination * (ability - item.difficulty)))
    if rng.random() < p_right:
        return key
    if rng.random() < 0.03:
        return None
    letters = list(item.popularity)
    return rng.choices(letters, weights=[item.popularity[x] + 0.01 for x in letters])[0]


def simulate(session: Session, sitting: Sitting, candidates: int, seed: int,
             start: datetime | None = None) -> list[int]:
    """Run simulated candidates through a sitting's window; return their attempt ids."""
    if sitting.status != "open":
        raise ValueError(f"sitting {sitting.id} is {sitting.status}; open it first")
    rng = random.Random(seed)
    start = start or sitting.starts_at
    already = session.scalar(select(func.count()).select_from(Attempt)
                             .where(Attempt.sitting_id == sitting.id)) or 0
    behaviours: dict[int, ItemBehaviour] = {}
    grace = timedelta(seconds=2)
    attempt_ids = []
    for n in range(1, candidates + 1):
        user = _candidate(session, sitting, already + n, rng)
        began = start + timedelta(seconds=rng.uniform(0, 600))
        attempt = delivery.start_attempt(session, sitting, user, began, seed=rng.randrange(2**62))
        ability = rng.gauss(0.3, 1.0)
        duration = timedelta(seconds=attempt.duration_seconds)
        pace = rng.uniform(0.35, 1.05)  # share of the time this candidate needs
        for question in attempt.questions:
            version = question.item_version
            if version.id not in behaviours:
                behaviours[version.id] = behaviour(version, seed)
            letter = chooses(rng, ability, behaviours[version.id], version.key)
            if letter is None:
                continue
            at = began + duration * pace * question.position / len(attempt.questions)
            if not attempt.clock.accepts_answer(at, grace):
                break  # this candidate ran out of time
            choice = question.option_order.index(letter)
            delivery.save_answer(session, attempt, question.position, choice, question.position,
                                 at, grace)
        finished = began + duration * min(pace + 0.02, 1.0)
        if attempt.clock.accepts_answer(finished):
            delivery.submit(session, attempt, finished, "candidate", actor=user)
        else:
            delivery.finalise_if_due(session, attempt, attempt.clock.deadline(finished) + grace,
                                     grace)
        attempt_ids.append(attempt.id)
        session.flush()
    return attempt_ids


def _candidate(session: Session, sitting: Sitting, n: int, rng: random.Random) -> User:
    """Create and book one simulated candidate at the sitting's centre."""
    # Simulated people cannot sign in: their password hash matches no password.
    user = User(username=f"sim-{sitting.id}-{n}", password_hash=UNUSABLE_PASSWORD,
                full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", role="candidate",
                centre=sitting.centre, candidate_number=f"S{sitting.id:03d}{n:04d}", active=True,
                created_at=sitting.starts_at, extra_time_percent=0, large_text=False,
                high_contrast=False)
    session.add(user)
    session.add(Booking(sitting=sitting, candidate=user))
    return user
