"""Forms an invigilator fills in."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (DateField, IntegerField, RadioField, SelectChoice, SelectField, StringField,
                     TextAreaField, TimeField)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from quiz.invigilation.service import MAX_EXTRA_MINUTES, VOID_REASONS


class ScheduleForm(FlaskForm):
    """A sitting of a test at the invigilator's centre."""

    blueprint = SelectField("Test", validators=[DataRequired()])
    title = StringField("Name of the sitting", validators=[DataRequired(), Length(max=200)],
                        description="For example: Room 4, Tuesday morning")
    day = DateField("Date", validators=[DataRequired(message="Enter the date.")])
    starts = TimeField("Window opens at", validators=[DataRequired(message="Enter a time.")])
    ends = TimeField("Window closes at", validators=[DataRequired(message="Enter a time.")])
    results_policy = RadioField("Results", default="instant", choices=[
        SelectChoice("instant", "Show each candidate a provisional result when they submit"),
        SelectChoice("to_follow", "Tell candidates that results will follow")])


class ReasonForm(FlaskForm):
    """An action with an optional note (pause, resume, open, close)."""

    reason = StringField("Reason (optional)", validators=[Optional(), Length(max=500)])


class ExtraTimeForm(FlaskForm):
    """Extra time for one candidate."""

    amount = IntegerField("Amount", validators=[DataRequired(message="Enter an amount."),
                                                NumberRange(min=1, max=MAX_EXTRA_MINUTES)])
    unit = RadioField("Unit", default="minutes", choices=[SelectChoice("minutes", "minutes"),
                                                          SelectChoice("percent", "% of the test's time")])
    reason = StringField("Reason for the extra time", validators=[DataRequired(message="Give a reason."),
                                               Length(max=500)],
                         description="For example: fire alarm, or an access arrangement")


class VoidForm(FlaskForm):
    """Void an attempt."""

    category = SelectField("Reason for voiding", choices=[SelectChoice(r, r.capitalize()) for r in VOID_REASONS],
                           validators=[DataRequired()])
    note = TextAreaField("What happened", validators=[Optional(), Length(max=2000)],
                         description="Required for malpractice and other.")


class RosterForm(FlaskForm):
    """A CSV of candidates to book."""

    roster = FileField("CSV file of candidates", validators=[
        FileRequired(message="Choose a CSV file."), FileAllowed(["csv", "txt"], "Upload a .csv file.")])
