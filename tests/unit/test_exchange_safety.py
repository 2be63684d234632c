"""Hostile files: each is refused as a whole with a clear error before anything is imported."""
import codecs

import pytest

from quiz.itembank import formats
from quiz.itembank.formats import FormatError
from quiz.itembank.formats.safety import MAX_FILE_BYTES
from tests.exchange_files import billion_laughs, sample, xxe, zip_bomb, zip_files, zip_slip


def test_an_external_entity_pointing_at_a_local_file_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the answer key")
    with pytest.raises(FormatError, match=r"declares a DTD .*refused") as err:
        formats.read(xxe(str(secret)))
    assert "the answer key" not in str(err.value)


def test_billion_laughs_is_refused_without_expanding():
    with pytest.raises(FormatError, match="declares a DTD"):
        formats.read(billion_laughs())


def test_entities_inside_a_package_refuse_the_whole_package():
    files = {"imsmanifest.xml": sample("qti3_package/imsmanifest.xml"),
             "items/purpose.xml": billion_laughs()}
    with pytest.raises(FormatError, match="items/purpose.xml declares a DTD"):
        formats.read(zip_files(files))


def test_a_zip_with_dot_dot_paths_is_refused():
    with pytest.raises(FormatError, match=r"'../../evil.xml', a path outside the package"):
        formats.read(zip_slip())


def test_a_zip_with_an_absolute_path_is_refused():
    data = zip_files({"imsmanifest.xml": sample("qti3_package/imsmanifest.xml"),
                      "/etc/cron.d/evil": b"x"})
    with pytest.raises(FormatError, match="a path outside the package"):
        formats.read(data)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    data = zip_bomb()
    assert len(data) < 64 * 1024
    with pytest.raises(FormatError, match="only a zip bomb does"):
        formats.read(data)


def test_a_zip_that_unpacks_to_too_much_in_total_is_refused(monkeypatch):
    import os
    from quiz.itembank.formats import safety
    monkeypatch.setattr(safety, "MAX_UNPACKED_BYTES", 2 * safety.MB)
    # Random a/b text packs about eight times: no single file looks like a bomb.
    members = {f"items/{n}.xml": os.urandom(safety.MB).translate(bytes(b"ab"[i // 128] for i in range(256)))
               for n in range(3)}
    with pytest.raises(FormatError, match="unpacks to more than 2.0 MB"):
        formats.read(zip_files(members))


def test_a_zip_with_too_many_files_is_refused():
    data = zip_files({f"f{n}.txt": b"" for n in range(2001)})
    with pytest.raises(FormatError, match="2001 files; at most 2000"):
        formats.read(data)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read():
    with pytest.raises(FormatError, match="files of up to 10.0 MB can be imported"):
        formats.read(b" " * (MAX_FILE_BYTES + 1))


def test_a_csv_in_latin_1_names_the_line_and_asks_for_utf_8():
    data = "stem,option_a,option_b,option_c,option_d,key\nCaf\u00e9?,a,b,c,d,A\n".encode("latin-1")
    with pytest.raises(FormatError, match=r"not UTF-8: line 2 has the byte 0xE9.*CSV UTF-8"):
        formats.read(data)


def test_gift_in_windows_1252_is_refused_with_its_line():
    data = "::Q1::Which is \u2018right\u2019? {=a ~b ~c ~d}".encode("cp1252")
    with pytest.raises(FormatError, match="line 1 has the byte 0x91"):
        formats.read(data, "gift")


def test_utf_16_without_a_byte_order_mark_is_refused():
    data = "stem,option_a,option_b,option_c,option_d,key\n".encode("utf-16-le")
    with pytest.raises(FormatError, match="NUL bytes"):
        formats.read(data)


def test_utf_16_with_a_byte_order_mark_is_read():
    text = "stem,option_a,option_b,option_c,option_d,key,criterion\nWhy?,a,b,c,d,B,1.1\n"
    fmt, result = formats.read(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert fmt.name == "csv" and result.items[0].key == "B"


def test_xml_that_says_utf_8_but_is_not_gets_the_line_and_column():
    data = '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="x">Caf\u00e9</question></quiz>'
    with pytest.raises(FormatError, match=r"not well-formed XML at line 3.*UTF-8"):
        formats.read(data.encode("latin-1"))


def test_a_zip_that_is_not_a_package_or_a_workbook_is_not_guessed():
    with pytest.raises(FormatError, match="not a QTI content package"):
        formats.read(zip_files({"notes.txt": b"hello"}))


def test_a_damaged_zip_gets_a_clear_error():
    with pytest.raises(FormatError, match="cannot be opened"):
        formats.read(b"PK\x03\x04" + b"\x00" * 100)
