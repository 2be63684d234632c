"""The README states the intervals the code uses."""
import re
from pathlib import Path

from quiz.config import Config

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_the_readme_states_the_candidates_poll_interval_the_code_uses():
    default = Config("/tmp").QUIZ_STATUS_POLL_SECONDS
    assert f"| `QUIZ_STATUS_POLL_SECONDS` | `{default}` |" in README
    stated = re.findall(r"every\s+`QUIZ_STATUS_POLL_SECONDS`\s+\((\d+)\s+s\)", README)
    assert stated and set(stated) == {str(default)}


def test_the_readme_states_the_boards_refresh_interval_the_code_uses():
    default = Config("/tmp").QUIZ_BOARD_POLL_SECONDS
    assert f"| `QUIZ_BOARD_POLL_SECONDS` | `{default}` |" in README
