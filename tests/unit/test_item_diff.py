"""Word-level differences between two versions of an item."""
from quiz.itembank.diff import Piece, version_diff, word_diff


def test_a_changed_word_shows_as_removed_then_added_with_the_rest_shared():
    assert word_diff("Which option is right?", "Which answer is right?") == (
        Piece("same", "Which "), Piece("removed", "option"), Piece("added", "answer"),
        Piece("same", " is right?"))


def test_identical_text_has_only_shared_words():
    assert word_diff("Same words", "Same words") == (Piece("same", "Same words"),)


def test_versions_are_compared_field_by_field_and_option_by_option():
    old = {"criterion": "1.1", "stem": "Why coach?", "options": {"A": "To help", "B": "To judge"},
           "key": "A", "enemies": []}
    new = {"criterion": "1.1", "stem": "Why coach?", "options": {"A": "To help", "B": "To rank"},
           "key": "B", "enemies": ["q2"]}
    changed = {d.label: d.pieces for d in version_diff(old, new) if d.changed}
    assert changed == {
        "Option B": (Piece("same", "To "), Piece("removed", "judge"), Piece("added", "rank")),
        "Key": (Piece("removed", "A"), Piece("added", "B")),
        "Enemies": (Piece("removed", "none"), Piece("added", "q2"))}
