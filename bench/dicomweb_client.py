#!/usr/bin/env python3
"""The DICOMweb client of bench/dicomweb-vs-orthanc.sh: the same requests to both servers.

  stow ROOT FOLDER PER-REQUEST     POSTs every .dcm under FOLDER, PER-REQUEST parts per STOW-RS
                                   request, on one connection; prints instances/s
  get ROOT PATH ACCEPT [N]         GETs ROOT+PATH N times (default 1) on one connection; prints
                                   each request's milliseconds and the bytes of the last answer
  first ROOT PATH TAG              GETs a QIDO-RS answer; prints TAG's value in its first match
  frames ROOT STUDY SERIES ACCEPT  GETs frame 1 of every instance of the series (found by QIDO-RS)
                                   on one connection; prints frames/s

Credentials, when the environment has them: ARCHIVUM_USER and ARCHIVUM_PASSWORD (HTTP Basic).
"""
import base64
import json
import http.client
import os
import sys
import time
import urllib.parse
import uuid


def headers(extra):
    user = os.environ.get("ARCHIVUM_USER")
    if user:
        token = base64.b64encode(f"{user}:{os.environ.get('ARCHIVUM_PASSWORD', '')}".encode()).decode()
        extra = dict(extra, Authorization=f"Basic {token}")
    return extra


def connection(root):
    url = urllib.parse.urlsplit(root)
    return http.client.HTTPConnection(url.hostname, url.port, timeout=600), url.path.rstrip("/")


def stow(root, folder, per_request):
    files = sorted(os.path.join(d, f) for d, _, names in os.walk(folder) for f in names if f.endswith(".dcm"))
    conn, base = connection(root)
    start = time.time()
    for i in range(0, len(files), per_request):
        boundary = uuid.uuid4().hex
        parts = []
        for path in files[i:i + per_request]:
            with open(path, "rb") as f:
                parts.append(b"--" + boundary.encode() + b"\r\nContent-Type: application/dicom\r\n\r\n" + f.read() + b"\r\n")
        body = b"".join(parts) + b"--" + boundary.encode() + b"--\r\n"
        conn.request("POST", base + "/studies", body, headers({
            "Content-Type": f'multipart/related; type="application/dicom"; boundary={boundary}',
            "Accept": "application/dicom+json"}))
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"STOW-RS answered {response.status}")
    print(f"{len(files) / (time.time() - start):.1f}")


def get(root, path, accept, times):
    conn, base = connection(root)
    size = 0
    for _ in range(times):
        start = time.time()
        conn.request("GET", base + path, headers=headers({"Accept": accept}))
        response = conn.getresponse()
        size = 0
        while chunk := response.read(1 << 20):
            size += len(chunk)
        if response.status != 200:
            sys.exit(f"GET {path} answered {response.status}")
        print(f"{(time.time() - start) * 1000:.2f}")
    print(f"bytes {size}")


def first(root, path, tag):
    conn, base = connection(root)
    conn.request("GET", base + path, headers=headers({"Accept": "application/dicom+json"}))
    response = conn.getresponse()
    if response.status != 200:
        sys.exit(f"GET {path} answered {response.status}")
    print(json.loads(response.read())[0][tag]["Value"][0])


def frames(root, study, series, accept):
    conn, base = connection(root)
    conn.request("GET", f"{base}/studies/{study}/series/{series}/instances", headers=headers({"Accept": "application/dicom+json"}))
    response = conn.getresponse()
    uids = [match["00080018"]["Value"][0] for match in json.loads(response.read())]
    start = time.time()
    for uid in uids:
        conn.request("GET", f"{base}/studies/{study}/series/{series}/instances/{uid}/frames/1", headers=headers({"Accept": accept}))
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"frame of {uid} answered {response.status}")
    print(f"{len(uids) / (time.time() - start):.1f}")


if __name__ == "__main__":
    if sys.argv[1] == "first":
        first(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "frames":
        frames(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    elif sys.argv[1] == "stow":
        stow(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        get(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]) if len(sys.argv) > 5 else 1)
