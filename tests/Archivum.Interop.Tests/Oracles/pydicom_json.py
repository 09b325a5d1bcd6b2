#!/usr/bin/python3
"""Outside oracle for Archivum's reader: pydicom's DICOM JSON of every file in a folder.

Usage: pydicom_json.py ROOT OUT.json

Walks ROOT recursively (skipping Python sources and caches) and writes one JSON object
{relative path: entry} where entry is one of
  {"json": <Dataset.to_json_dict()>, "littleEndian": bool, "implicitVR": bool, "unserializable": [tag...]}
  {"notDicom": reason}   pydicom cannot read it, or what it reads holds no tag its dictionary knows
  {"error": message}     pydicom raised while reading or converting
Run once for the whole corpus: Python's start-up per file would cost more than the reading.
Non-finite floats (a DS of "NaN" or "1e400") are not JSON; they are written as {"$float": "nan"|"inf"|"-inf"}.
"""
import json
import logging
import math
import os
import sys
import warnings

import pydicom
from pydicom.datadict import dictionary_has_tag
from pydicom.misc import is_dicom


class _Collect(logging.Handler):
    """pydicom logs "Error while processing tag XXXXXXXX" for an element it cannot convert and drops it."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.tags = []

    def emit(self, record):
        msg = record.getMessage()
        if msg.startswith("Error while processing tag "):
            self.tags.append(msg.rsplit(" ", 1)[-1])


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return {"$float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def convert(path):
    try:
        ds = pydicom.dcmread(path, force=True)
    except Exception as e:  # noqa: BLE001 - every failure is an answer here
        return {"notDicom": f"{type(e).__name__}: {e}"}
    try:
        keys = list(ds.keys())
    except Exception as e:  # noqa: BLE001
        return {"notDicom": f"{type(e).__name__}: {e}"}
    if not is_dicom(path) and not any(dictionary_has_tag(k) for k in keys):
        return {"notDicom": "no DICM prefix and no element pydicom's dictionary knows"}
    collect = _Collect()
    logger = logging.getLogger("pydicom")
    logger.addHandler(collect)
    try:
        result = ds.to_json_dict(suppress_invalid_tags=True)
    except Exception as e:  # noqa: BLE001
        return {"error": f"{type(e).__name__}: {e}"}
    finally:
        logger.removeHandler(collect)
    return {
        "json": _finite(result),
        "littleEndian": bool(getattr(ds, "is_little_endian", True)),
        "implicitVR": bool(getattr(ds, "is_implicit_VR", False)),
        "unserializable": collect.tags,
    }


def main():
    root, out = sys.argv[1], sys.argv[2]
    warnings.simplefilter("ignore")
    logging.getLogger("pydicom").propagate = False
    results = {"$pydicom": pydicom.__version__}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".py", ".pyc")):
                continue
            path = os.path.join(folder, name)
            results[os.path.relpath(path, root).replace(os.sep, "/")] = convert(path)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(results, f, ensure_ascii=False, allow_nan=False)


if __name__ == "__main__":
    main()
