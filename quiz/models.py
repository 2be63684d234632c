"""Every table, imported in one place so migrations and create_all see the whole schema."""
from quiz.accounts.models import Centre, Throttle, User  # noqa: F401
from quiz.audit import AuditEvent  # noqa: F401
from quiz.db import Base
from quiz.delivery.models import Attempt, AttemptQuestion, Booking, Sitting  # noqa: F401
from quiz.invigilation.messages import RoomMessage  # noqa: F401
from quiz.itembank.models import BlueprintRecord, Item, ItemVersion  # noqa: F401

metadata = Base.metadata
