"""Reading untrusted files safely: size limits, checked zips, XML without entities, strict text.

Uploaded files come from other tools and other people. Each check here fails with a FormatError
that says what is wrong in words an item writer can act on, before anything is imported.
"""
from __future__ import annotations

import codecs
import io
import posixpath
import stat
import zipfile
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring

from quiz.itembank.formats import FormatError, Sample

MB = 1024 * 1024
MAX_FILE_BYTES = 10 * MB  # an upload or a file given to `quiz bank import`
MAX_ZIP_MEMBERS = 2000
MAX_MEMBER_BYTES = 10 * MB  # one file inside a zip, unpacked
MAX_UNPACKED_BYTES = 50 * MB  # everything inside a zip, unpacked
# A deflated text file rarely shrinks more than 20 times; a zip bomb shrinks thousands of times.
MAX_RATIO = 200


def check_size(size: int, limit: int = MAX_FILE_BYTES) -> None:
    """Refuse a file bigger than the limit."""
    if size > limit:
        raise FormatError(f"the file is {_mb(size)}; files of up to {_mb(limit)} can be imported")


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB // 10 else f"{size} bytes"


# --- zips -----------------------------------------------------------------------------------------

class CheckedZip:
    """A zip whose names, sizes and count were checked before anything in it is unpacked."""

    def __init__(self, data: bytes):
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as err:
            raise FormatError(f"the file looks like a zip but cannot be opened ({err})") from None
        if len(infos) > MAX_ZIP_MEMBERS:
            raise FormatError(f"the zip holds {len(infos)} files; at most {MAX_ZIP_MEMBERS} "
                              "are allowed")
        total = 0
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = _checked_name(info)
            if info.is_dir():
                continue
            if info.flag_bits & 0x1:
                raise FormatError(f"{name} in the zip is encrypted; we cannot read it")
            if info.file_size > MAX_MEMBER_BYTES:
                raise FormatError(f"{name} in the zip unpacks to {_mb(info.file_size)}; at most "
                                  f"{_mb(MAX_MEMBER_BYTES)} per file is allowed")
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
                raise FormatError(f"{name} in the zip unpacks to {info.file_size / info.compress_size:.0f} "
                                  "times its packed size, which only a zip bomb does; refused")
            total += info.file_size
            if total > MAX_UNPACKED_BYTES:
                raise FormatError(f"the zip unpacks to more than {_mb(MAX_UNPACKED_BYTES)}; refused")
            if name in self._infos:
                raise FormatError(f"the zip holds {name} twice")
            self._infos[name] = info
        self.names = tuple(self._infos)

    def read(self, name: str) -> bytes:
        """Return one member's bytes, never more than its checked size (headers can lie)."""
        info = self._infos.get(name)
        if info is None:
            raise FormatError(f"the zip has no file {name}")
        try:
            with self._zip.open(info) as member:
                data = member.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as err:
            raise FormatError(f"{name} in the zip cannot be unpacked ({err})") from None
        if len(data) > info.file_size:
            raise FormatError(f"{name} in the zip is bigger than its header says; refused")
        return data

    def resolve(self, base: str, href: str) -> str:
        """Return the member an href in file `base` points at, refusing paths that leave the zip."""
        target = posixpath.normpath(posixpath.join(posixpath.dirname(base), href.split("#")[0]))
        if target.startswith("../") or target == ".." or target.startswith("/"):
            raise FormatError(f"{base} refers to {href}, which is outside the package")
        return target


def _checked_name(info: zipfile.ZipInfo) -> str:
    """Return a member's name, refusing absolute paths, '..', drive letters and symbolic links."""
    name = info.filename
    if "\\" in name:
        name = name.replace("\\", "/")
    parts = name.split("/")
    if name.startswith("/") or (len(parts[0]) == 2 and parts[0][1] == ":") or ".." in parts:
        raise FormatError(f"the zip holds {info.filename!r}, a path outside the package "
                          "(absolute or with '..'); refused")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise FormatError(f"the zip holds {info.filename!r}, a symbolic link; refused")
    return name


def open_zip(data: bytes) -> CheckedZip:
    """Check a zip and return it, or raise FormatError."""
    return CheckedZip(data)


def is_zip(data: bytes) -> bool:
    """Return whether the bytes start like a zip."""
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


# --- XML --------------------------------------------------------------------------------------------

class UnsafeXml(FormatError):
    """XML that tries to declare a DTD or entities or to reach outside: the whole file is refused."""


def parse_xml(data: bytes, what: str = "the file") -> Element:
    """Parse XML with no DTD, no entity expansion and no network access, or raise FormatError."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden:
        raise UnsafeXml(f"{what} declares a DTD (<!DOCTYPE ...>), which could expand entities or "
                          "read other files; refused") from None
    except EntitiesForbidden:
        raise UnsafeXml(f"{what} declares XML entities, which could expand without limit or "
                          "read other files; refused") from None
    except ExternalReferenceForbidden:
        raise UnsafeXml(f"{what} refers to an external file or address; refused") from None
    except ParseError as err:
        line, column = getattr(err, "position", (0, 0))
        message = str(err).split(":")[0]
        if "invalid token" in message or "not well-formed" in message:
            message += " (is the file saved as UTF-8, or in the encoding its <?xml?> line names?)"
        raise FormatError(f"{what} is not well-formed XML at line {line}, column {column + 1}: "
                          f"{message}") from None
    except (ValueError, LookupError) as err:  # e.g. an encoding the XML declaration invents
        raise FormatError(f"{what} cannot be read as XML: {err}") from None


def local(tag: str) -> str:
    """Return an element name without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag: str) -> str:
    """Return an element's namespace, or ''."""
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def looks_like_xml(data: bytes) -> bool:
    """Return whether the bytes start (after a BOM and blanks) with '<'."""
    head = data[:200]
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if head.startswith(bom):
            head = head[len(bom):].decode("utf-16" if bom != codecs.BOM_UTF8 else "utf-8",
                                          "ignore").encode()
    return head.lstrip().startswith(b"<")


# --- text -------------------------------------------------------------------------------------------

def decode_text(data: bytes, what: str = "the file") -> str:
    """Return UTF-8 (or BOM-marked UTF-16) text, or a FormatError naming the line that is not."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FormatError(f"{what} starts like UTF-16 but is not valid UTF-16") from None
    if b"\x00" in data[:4096]:
        raise FormatError(f"{what} holds NUL bytes: it is not a text file (or it is UTF-16 without "
                          "a byte order mark; save it as UTF-8)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise FormatError(f"{what} is not UTF-8: line {line} has the byte 0x{data[err.start]:02X}, "
                          "which UTF-8 never has there. Save it as UTF-8 (in Excel: 'CSV UTF-8') "
                          "and import it again") from None


# --- detection --------------------------------------------------------------------------------------

def sample_of(data: bytes) -> Sample:
    """Work out what kind of file this is, checking it safely on the way."""
    if is_zip(data):
        archive = open_zip(data)
        types: tuple[str, ...] = ()
        if "imsmanifest.xml" in archive.names:
            manifest = parse_xml(archive.read("imsmanifest.xml"), "imsmanifest.xml")
            types = tuple(sorted({r.get("type", "") for r in manifest.iter()
                                  if local(r.tag) == "resource" and "qti" in r.get("type", "")}))
        return Sample(kind="zip", members=archive.names, manifest_types=types)
    if looks_like_xml(data):
        root = parse_xml(data)
        return Sample(kind="xml", root=local(root.tag), namespace=namespace(root.tag))
    text = decode_text(data)
    return Sample(kind="text", head=text[:4000])
