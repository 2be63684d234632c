"""Forms shared by every area."""
from flask_wtf import FlaskForm


class ButtonForm(FlaskForm):
    """A form that is only a button: its CSRF token is the whole point."""
