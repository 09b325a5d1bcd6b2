#!/usr/bin/python3
"""Outside oracle for Archivum's character set tests: what pydicom decodes.

Prints one JSON document on stdout:

  "pydicom": the pydicom version,
  "files": for every character set test file of pydicom (charset_files/*.dcm) and every
      top-level test_files/*.dcm, the value of Specific Character Set as stored, and for every
      text element (recursively into sequence items) the VR, the raw value bytes in hex, the
      Specific Character Set that applies to it (the item's own, else the enclosing one's, as
      PS3.5 §7.5.3 says) and the string pydicom decodes (multiple values joined with '\\',
      PN as str() gives it, with all its component groups),
  "synthetic": cases built here, one per graphic character set, that cover every code point
      of the set: the bytes, the Specific Character Set and what pydicom's codec for that
      defined term decodes (see synthetic_cases()).

The C# tests run this script with /usr/bin/python3 and compare DicomCharacterSet with it.
"""
import glob
import json
import os
import sys
import warnings

import pydicom
import pydicom.charset
from pydicom.dataelem import RawDataElement

DATA = os.path.join(os.path.dirname(pydicom.__file__), 'data')

# VRs whose value pydicom returns as text. DS and IS are left out: pydicom turns them into
# numbers, and their repr is not the text that was stored.
TEXT_VRS = {'AE', 'AS', 'CS', 'DA', 'DT', 'TM', 'UI', 'UR',
            'LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT'}

SCS = 0x00080005


def text_of(value):
    """The string pydicom presents for an element value, multiple values joined by '\\'."""
    if isinstance(value, (list, tuple)) or type(value).__name__ == 'MultiValue':
        return '\\'.join(str(v) for v in value)
    if isinstance(value, bytes):
        raise TypeError('not decoded')
    return str(value)


def walk(ds, scs, path, out):
    own = ds.get_item(SCS)
    if own is not None:
        raw = own.value if isinstance(own, RawDataElement) else None
        if raw is None:
            value = ds[SCS].value
            scs = value if isinstance(value, str) else '\\'.join(value)
        else:
            scs = raw.decode('latin-1')
    for tag in list(ds.keys()):
        if tag == SCS or tag.group == 0x0002 and path:
            continue
        raw = ds.get_item(tag)
        elem = ds[tag]
        vr = str(elem.VR)
        where = path + '(%04X,%04X)' % (tag.group, tag.element)
        if vr == 'SQ':
            for i, item in enumerate(elem.value or []):
                walk(item, scs, where + '[%d]' % i, out)
            continue
        if vr not in TEXT_VRS or not isinstance(raw, RawDataElement) or raw.value is None:
            continue
        if elem.value is None or elem.value == '':
            decoded = ''
        else:
            decoded = text_of(elem.value)
        out.append({
            'tag': where,
            'vr': vr,
            'specificCharacterSet': scs,
            'raw': raw.value.hex(),
            'pydicom': decoded,
        })


def corpus():
    files = sorted(glob.glob(os.path.join(DATA, 'charset_files', '*.dcm')))
    files += sorted(glob.glob(os.path.join(DATA, 'test_files', '*.dcm')))
    result = []
    for path in files:
        try:
            ds = pydicom.dcmread(path, force=True, stop_before_pixels=True)
            elements = []
            walk(ds, '', '', elements)
        except Exception as e:  # a test file that pydicom itself cannot read is not an oracle
            result.append({'file': os.path.relpath(path, DATA), 'error': '%s: %s' % (type(e).__name__, e)})
            continue
        top = ds.get_item(SCS)
        result.append({
            'file': os.path.relpath(path, DATA),
            'specificCharacterSet': top.value.decode('latin-1') if isinstance(top, RawDataElement) and top.value else '',
            'elements': elements,
        })
    return result


def python_text(raw, codec):
    """Python's decoding of one code point, or U+FFFD where the codec says it is undefined."""
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        return '\ufffd'


def synthetic_cases():
    """One case per graphic set, covering all its code points.

    Single-byte sets: a single-valued LT holding the bytes 20-7E (without 5C, the backslash,
    so that pydicom does not split the value) and 80-FF, decoded by pydicom.charset.decode_bytes
    byte by byte, so that an undefined byte yields U+FFFD in its place as decode_bytes'
    replacement fallback gives it.

    Multi-byte sets: every 94x94 code point, as it appears after its escape sequence. The
    expected text is what the Python codec that pydicom maps the defined term to decodes for
    that code point alone (pydicom decodes a whole value that holds one undefined code point
    with its fallback encoding, which says nothing about the others). 'ISO 2022 IR 58' goes
    to the codec directly: pydicom 2.3 hands the escape sequence to the gb2312 codec, which
    keeps it as text (see the C# tests).
    """
    cases = []
    single = [
        ('', None), ('ISO_IR 100', None), ('ISO_IR 101', None), ('ISO_IR 109', None),
        ('ISO_IR 110', None), ('ISO_IR 144', None), ('ISO_IR 127', None), ('ISO_IR 126', None),
        ('ISO_IR 138', None), ('ISO_IR 148', None), ('ISO_IR 166', None),
        # not in pydicom 2.3's table (it would read Latin-9 as Latin-1): Python's codec instead
        ('ISO_IR 203', 'iso8859_15'),
    ]
    for term, codec in single:
        raw = bytes(b for b in range(0x20, 0x100) if b != 0x5C and b != 0x7F)
        if codec is None:
            encodings = pydicom.charset.convert_encodings(term)
            text = ''.join(pydicom.charset.decode_bytes(bytes([b]), encodings, set()) for b in raw)
            source = 'pydicom.charset.decode_bytes'
        else:
            text = ''.join(python_text(bytes([b]), codec) for b in raw)
            source = 'python codec ' + codec
        cases.append({'name': term or '(none)', 'specificCharacterSet': term, 'vr': 'LT',
                      'raw': raw.hex(), 'expected': text, 'source': source})

    # JIS X 0201: the G0 half (romaji) and the katakana of the G1 half. pydicom reads the
    # other high bytes with Shift_JIS, as the lead bytes of two-byte kanji (see the C# tests).
    raw = bytes(b for b in range(0x20, 0x7F) if b != 0x5C) + bytes(range(0xA1, 0xE0))
    encodings = pydicom.charset.convert_encodings('ISO_IR 13')
    text = ''.join(pydicom.charset.decode_bytes(bytes([b]), encodings, set()) for b in raw)
    cases.append({'name': 'ISO_IR 13', 'specificCharacterSet': 'ISO_IR 13', 'vr': 'LT',
                  'raw': raw.hex(), 'expected': text, 'source': 'pydicom.charset.decode_bytes'})

    multi = [
        # (defined term, escape sequence, high bit set in the code (G1), Python codec and how
        #  it wants the bytes)
        ('ISO 2022 IR 87', b'\x1b$B', False, lambda c: python_text(b'\x1b$B' + c + b'\x1b(B', 'iso2022_jp')),
        ('ISO 2022 IR 159', b'\x1b$(D', False, lambda c: python_text(b'\x1b$(D' + c + b'\x1b(B', 'iso2022_jp_2')),
        ('ISO 2022 IR 149', b'\x1b$)C', True, lambda c: python_text(c, 'euc_kr')),
        ('ISO 2022 IR 58', b'\x1b$)A', True, lambda c: python_text(c, 'gb2312')),
    ]
    for term, esc, high, decode in multi:
        for row in range(0x21, 0x7F):
            codes = [bytes([row | (0x80 if high else 0), col | (0x80 if high else 0)]) for col in range(0x21, 0x7F)]
            text = ''.join(decode(c) for c in codes)
            cases.append({'name': '%s row %02X' % (term, row), 'specificCharacterSet': '\\' + term, 'vr': 'LT',
                          'raw': (esc + b''.join(codes)).hex(), 'expected': text,
                          'source': 'python codec (%s)' % pydicom.charset.python_encoding[term]})
    return cases


def main():
    warnings.simplefilter('ignore')
    doc = {
        'pydicom': pydicom.__version__,
        'files': corpus(),
        'synthetic': synthetic_cases(),
    }
    json.dump(doc, sys.stdout, ensure_ascii=True, indent=None)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
