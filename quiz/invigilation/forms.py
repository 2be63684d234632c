"""Forms an invigilator fills in."""
from __future__ import annotations

import re
from datetime import date, time

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (HiddenField, IntegerField, RadioField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import (DataRequired, InputRequired, Length, NumberRange, Optional,
                                ValidationError)

from quiz.invigilation import reasons
from quiz.invigilation.messages import MAX_MESSAGE_LENGTH
from quiz.invigilation.service import MAX_EXTRA_MINUTES, VOID_REASONS

NOTE_ROWS = 4  # a text area people can write a sentence or two in, not a one-line box


class DayField(StringField):
    """A date typed as day/month/year, whatever the browser's locale.

    Browsers draw <input type=date> in their own locale (month first in a US browser), so an
    invigilator cannot be sure what they typed; a text box with a stated format can be.
    """

    FORMATS = ((re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), (3, 2, 1)),  # 01/07/2026
               (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), (1, 2, 3)))      # 2026-07-01

    def process_formdata(self, valuelist):
        self.raw_text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not self.raw_text:
            return
        for pattern, (y, m, d) in self.FORMATS:
            match = pattern.match(self.raw_text)
            if match:
                try:
                    self.data = date(int(match[y]), int(match[m]), int(match[d]))
                except ValueError:
                    raise ValueError(f"{self.raw_text} is not a real date. Enter the date as "
                                     "day/month/year, for example 01/07/2026.")
                return
        raise ValueError("Enter the date as day/month/year, for example 01/07/2026.")

    def _value(self):
        if self.data is not None:
            return self.data.strftime("%d/%m/%Y")
        return getattr(self, "raw_text", "") or ""


class TimeOfDayField(StringField):
    """A time typed on the 24-hour clock as hours and minutes, whatever the browser's locale."""

    PATTERN = re.compile(r"^(\d{1,2})[:.](\d{2})$")

    def process_formdata(self, valuelist):
        self.raw_text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not self.raw_text:
            return
        match = self.PATTERN.match(self.raw_text)
        if not match or not (0 <= int(match[1]) <= 23 and 0 <= int(match[2]) <= 59):
            raise ValueError("Enter the time on the 24-hour clock as hours:minutes, for example "
                             "09:00 or 14:30.")
        self.data = time(int(match[1]), int(match[2]))

    def _value(self):
        if self.data is not None:
            return self.data.strftime("%H:%M")
        return getattr(self, "raw_text", "") or ""


def _text_box(autocomplete: str = "off") -> dict:
    return {"autocomplete": autocomplete, "spellcheck": "false", "inputmode": "numeric"}


class ScheduleForm(FlaskForm):
    """A sitting of a test at the invigilator's centre."""

    blueprint = SelectField("Test", validators=[DataRequired()])
    title = StringField("Name of the sitting", validators=[DataRequired(), Length(max=200)],
                        description="For example: Room 4, Tuesday morning")
    day = DayField("Date", validators=[InputRequired(message="Enter the date.")],
                   description="Day/month/year, for example 01/07/2026",
                   render_kw=_text_box())
    starts = TimeOfDayField("Window opens at", validators=[InputRequired(message="Enter a time.")],
                            description="24-hour clock, for example 09:00",
                            render_kw=_text_box())
    ends = TimeOfDayField("Window closes at", validators=[InputRequired(message="Enter a time.")],
                          description="24-hour clock, for example 11:30",
                          render_kw=_text_box())
    results_policy = RadioField("Results", default="instant", choices=[
        SelectChoice("instant", "Show each candidate a provisional result when they submit"),
        SelectChoice("to_follow", "Tell candidates that results will follow")])


def _reason_choices(action: str) -> list[SelectChoice]:
    return [SelectChoice("", "Choose a reason")] + [
        SelectChoice(code, label) for code, label in reasons.choices(action)]


class ActionForm(FlaskForm):
    """A reason from the list for an action on a candidate or the room, and a note."""

    reason = SelectField("Reason", validators=[DataRequired(message="Choose a reason.")])
    note = TextAreaField("Details", validators=[Optional(), Length(max=500)],
                         description="Optional, unless the reason is Other.",
                         render_kw={"rows": NOTE_ROWS})

    def __init__(self, action: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.reason.choices = _reason_choices(action)

    def recorded_reason(self) -> str:
        """Return the reason as the trail records it; raise ReasonMissing if it is incomplete."""
        return reasons.describe(self.action, self.reason.data, self.note.data)

    # On the note's partner: an empty note stops its own validators (Optional) before this runs.
    def validate_reason(self, field):
        if field.data == reasons.OTHER and not (self.note.data or "").strip():
            raise ValidationError("Describe the reason when you choose Other.")


class MessageForm(FlaskForm):
    """A message to the room or to some candidates, shown on their screens until dismissed."""

    body = TextAreaField("Message", validators=[
        DataRequired(message="Write the message before sending it."),
        Length(max=MAX_MESSAGE_LENGTH, message=f"A message can be at most {MAX_MESSAGE_LENGTH} "
                                               "characters.")],
        description="Shown at once on the candidates' screens and read out to screen readers; "
                    "kept in the audit trail.",
        render_kw={"rows": NOTE_ROWS, "maxlength": MAX_MESSAGE_LENGTH})

    def __init__(self, action: str = "message", *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action

    def recorded_reason(self) -> str:
        """Return the text the action carries: for a message, the message itself."""
        return (self.body.data or "").strip()


class ExtraTimeForm(ActionForm):
    """Extra time for one candidate."""

    amount = IntegerField("Amount", validators=[DataRequired(message="Enter an amount."),
                                                NumberRange(min=1, max=MAX_EXTRA_MINUTES)],
                          render_kw={"inputmode": "numeric"})
    unit = RadioField("Unit", default="minutes", choices=[SelectChoice("minutes", "minutes"),
                                                          SelectChoice("percent", "% of the test's time")])

    def __init__(self, *args, **kwargs):
        super().__init__("extra_time", *args, **kwargs)
        self.reason.label.text = "Reason for the extra time"


class VoidForm(FlaskForm):
    """Void an attempt: a reason, what happened, and (on the second step) the confirmation."""

    category = SelectField("Reason for voiding", validators=[
        DataRequired(message="Choose the reason for voiding.")],
        choices=[SelectChoice("", "Choose a reason")]
        + [SelectChoice(r, reasons.VOID_LABELS[r]) for r in VOID_REASONS])
    note = TextAreaField("What happened", validators=[Optional(), Length(max=2000)],
                         description="Required for malpractice and other.",
                         render_kw={"rows": NOTE_ROWS + 2})
    confirmed = HiddenField()

    def validate_category(self, field):
        if field.data in ("malpractice", "other") and not (self.note.data or "").strip():
            raise ValidationError(f"Describe what happened below when the reason is "
                                  f"{field.data}.")


class RosterForm(FlaskForm):
    """A CSV of candidates to book."""

    roster = FileField("CSV file of candidates", validators=[
        FileRequired(message="Choose a CSV file."), FileAllowed(["csv", "txt"], "Upload a .csv file.")])
