#!/usr/bin/env python3
"""Writes a large WARC file for measuring the memory of `newsgraph ingest`.

    python3 scripts/gen_warc.py /tmp/big.warc                    # about 1 GiB
    python3 scripts/gen_warc.py /tmp/big.warc.gz --gzip --size-mb 200 --articles 500

Most of the bytes are large `response` records with non-HTML payloads (JPEG images
made of random bytes, from 256 KiB to 24 MiB, a few above the reader's 16 MiB body
limit), which a streaming reader must read past without holding them; between them
come request and metadata records and a few thousand small HTML article responses,
whose text comes from the templates of `gen_corpus.py` (invented people, invented and
real countries). The output depends only on the seed. With `--gzip` every record is
its own gzip member, as in Common Crawl files.

Python 3 standard library only.
"""

import argparse
import gzip
import html
import os
import random
import sys
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_corpus  # noqa: E402  (the article templates)

MIB = 1024 * 1024


def record(rng, warc_type, uri, when, content_type, body):
    """One WARC/1.1 record as bytes."""
    record_id = "%08x-%04x-%04x-%04x-%012x" % (
        rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(16), rng.getrandbits(16),
        rng.getrandbits(48),
    )
    headers = [
        "WARC/1.1",
        f"WARC-Type: {warc_type}",
        f"WARC-Record-ID: <urn:uuid:{record_id}>",
        f"WARC-Date: {when}",
    ]
    if uri:
        headers.append(f"WARC-Target-URI: {uri}")
    headers.append(f"Content-Type: {content_type}")
    headers.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode() + body + b"\r\n\r\n"


def http_response(content_type, payload):
    head = (
        "HTTP/1.1 200 OK\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(payload)}\r\n"
        "Server: example\r\n\r\n"
    )
    return head.encode() + payload


def page(article, title):
    paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in article["text"].split("\n\n"))
    return (
        "<!doctype html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)} | The Example Ledger</title>"
        f"<meta property=\"article:published_time\" content=\"{article['published']}T08:00:00Z\">"
        "</head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>"
        f"<article><h1>{html.escape(title)}</h1>\n{paragraphs}</article>"
        "<footer>© The Example Ledger</footer></body></html>\n"
    ).encode()


def image_size(rng):
    """A payload size: mostly 256 KiB to 8 MiB, sometimes up to 24 MiB."""
    if rng.random() < 0.05:
        return rng.randint(16 * MIB + 1, 24 * MIB)
    return rng.randint(256 * 1024, 8 * MIB)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="the WARC file to write")
    parser.add_argument("--size-mb", type=int, default=1024, help="about how many MiB (default 1024)")
    parser.add_argument("--articles", type=int, default=3000, help="HTML articles (default 3000)")
    parser.add_argument("--seed", type=int, default=8, help="the random seed (default 8)")
    parser.add_argument("--gzip", action="store_true", help="gzip every record (a .warc.gz)")
    args = parser.parse_args()
    if args.size_mb <= 0 or args.articles < 0:
        parser.error("--size-mb must be positive and --articles not negative")
    rng = random.Random(args.seed)
    target = args.size_mb * MIB
    start = datetime(2025, 3, 1, 0, 0, 0)
    written = 0
    articles = 0
    images = 0
    # Spread the articles evenly over the file: one after about this many bytes.
    every = target / max(args.articles, 1)
    next_article = every / 2

    out = open(args.output, "wb")

    def emit(data):
        nonlocal written
        if args.gzip:
            data = gzip.compress(data, compresslevel=1)
        out.write(data)
        written += len(data)

    when = start
    emit(record(rng, "warcinfo", None, when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "application/warc-fields",
                b"software: gen_warc.py\r\nformat: WARC File Format 1.1\r\n"))
    body_start = date(2024, 1, 1)
    while written < target or articles < args.articles:
        when += timedelta(seconds=rng.randint(1, 30))
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        if articles < args.articles and (written >= next_article or written >= target):
            article = gen_corpus.article(rng, articles, body_start)
            title = article["text"].split(".")[0][:90]
            uri = f"https://ledger.example/news/{articles:06d}"
            payload = page(article, title)
            kind = "text/html; charset=utf-8"
            articles += 1
            next_article += every
        else:
            uri = f"https://ledger.example/media/{images:07d}.jpg"
            payload = b"\xff\xd8\xff\xe0" + rng.randbytes(image_size(rng))
            kind = "image/jpeg"
            images += 1
        host = "ledger.example"
        path = uri.split(host, 1)[1]
        request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: gen_warc\r\n\r\n".encode()
        emit(record(rng, "request", uri, stamp, "application/http; msgtype=request", request))
        emit(record(rng, "response", uri, stamp, "application/http; msgtype=response",
                    http_response(kind, payload)))
        emit(record(rng, "metadata", uri, stamp, "application/warc-fields",
                    f"fetchTimeMs: {rng.randint(20, 900)}\r\n".encode()))
    out.close()
    print(f"{args.output}: {written / MIB:.0f} MiB, {articles} HTML articles, "
          f"{images} images", file=sys.stderr)


if __name__ == "__main__":
    main()
