"""Forms about accounts: signing in, changing a password, finding an account."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from quiz.accounts.service import MAX_PASSWORD, MIN_PASSWORD


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField("Username", validators=[DataRequired(), Length(max=80)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none"})
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class ChangePasswordForm(FlaskForm):
    """The current password, and the new one twice."""

    current = PasswordField("Current password", validators=[
        DataRequired(message="Enter your current password."), Length(max=MAX_PASSWORD)],
        render_kw={"autocomplete": "current-password"})
    new = PasswordField("New password", validators=[
        DataRequired(message="Enter a new password."),
        Length(min=MIN_PASSWORD, max=MAX_PASSWORD,
               message=f"A password must be {MIN_PASSWORD} to {MAX_PASSWORD} characters.")],
        description=f"At least {MIN_PASSWORD} characters.",
        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("New password again", validators=[
        DataRequired(message="Enter the new password again."),
        EqualTo("new", message="The two new passwords are not the same.")],
        render_kw={"autocomplete": "new-password"})


class FindAccountForm(FlaskForm):
    """Search accounts by username or name (a GET form: no token needed)."""

    class Meta:
        csrf = False

    q = StringField("Username or name", validators=[Length(max=80)])
