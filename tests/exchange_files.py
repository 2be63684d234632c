"""Sample and hostile files for the exchange tests, built from tests/samples/exchange."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "samples" / "exchange"


def sample(name: str) -> bytes:
    """Return a sample file's bytes, or a sample folder zipped as a package."""
    path = SAMPLES / name
    if path.is_dir():
        return zip_files({p.relative_to(path).as_posix(): p.read_bytes()
                          for p in sorted(path.rglob("*")) if p.is_file()})
    return path.read_bytes()


def zip_files(files: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Return a zip of these files (names are written exactly as given, '../' and all)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name), content, compress_type=method)
    return buffer.getvalue()


def xxe(path: str) -> bytes:
    """A Moodle XML file whose entity reads a local file into a question."""
    return (f'<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file://{path}">]>\n'
            '<quiz><question type="multichoice"><name><text>&secret;</text></name>'
            '</question></quiz>').encode()


def billion_laughs() -> bytes:
    """A QTI item whose nested entities expand to a billion 'lol's."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">'
        for n in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE qti-assessment-item [' + "".join(entities) + "]>\n"
            '<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" '
            'identifier="lol"><qti-item-body><p>&lol9;</p></qti-item-body>'
            "</qti-assessment-item>").encode()


def zip_bomb() -> bytes:
    """A QTI package of about 10 KB whose one item unpacks to 9 MB of spaces."""
    return zip_files({"imsmanifest.xml": sample("qti3_package/imsmanifest.xml"),
                      "items/purpose.xml": b"<a>" + b" " * (9 * 1024 * 1024) + b"</a>"})


def zip_slip() -> bytes:
    """A QTI package with a file that would unpack outside its folder."""
    return zip_files({"imsmanifest.xml": (SAMPLES / "qti3_package/imsmanifest.xml").read_bytes(),
                      "../../evil.xml": b"<evil/>"})
