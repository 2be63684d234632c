"""Forms on the candidate's pages."""
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class KeycodeForm(FlaskForm):
    """The keycode the invigilator announces."""

    keycode = StringField("Keycode", validators=[DataRequired(message="Enter the keycode."),
                                                 Length(max=20)],
                          render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                     "spellcheck": "false"})
