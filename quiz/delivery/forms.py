"""Forms on the candidate's pages."""
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional


class KeycodeForm(FlaskForm):
    """The keycode the invigilator announces, given with the Start button.

    Optional here only because a candidate already admitted (on another browser) need not give
    it again; whether it was needed is decided under the write lock (service.admit_and_start).
    """

    keycode = StringField("Keycode", validators=[Optional(), Length(max=20)],
                          render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                     "spellcheck": "false"})
