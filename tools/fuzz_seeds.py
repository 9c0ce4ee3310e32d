#!/usr/bin/env python3
"""Regenerate the `index` fuzz seeds and the fixed FST regression input.

Run it after any change of the index format (a new `VERSION` in
src/index/format/ makes every committed seed stop at the version check, so
the `index` fuzzer no longer reaches the decoders):

    cargo build --release
    python3 tools/fuzz_seeds.py --dateline target/release/dateline

It writes, into fuzz/corpus/index/ (see fuzz/README.md):

  default-corpus-v<N>.dtl          `dateline build --manifest corpus/manifest.toml --shards never`
  sharded-root.dtl                 the root of `--shards always --tiny-shards`
  sharded-root-query-shards.dtl    that root, then {shard id [8] | shard file}* for the shards
                                   the queries `russia` and `r` load (`search --trace-shards`)
  sharded-root-all-shards.dtl      that root, then every shard, in file-name order

and rewrites fuzz/regressions/index-fst-unpack-uint-panic.dtl: the new default
index with its `terms` section replaced by the forged FST bytes of the current
file's `terms` section, re-framed with correct section and header CRCs (so it
reaches `fst_check` in normal builds too). N is the version the binary
writes, read from the header of what it built. Seeds of other versions
(`default-corpus-v*.dtl`) are removed (`git rm` when tracked).

With --check the regression file is also run through
`dateline search --index <file> russia`, which must fail naming the corrupt
`terms` section (`pack size over 8`), not the version.
"""

import argparse
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

MAGIC = b"DTLNIDX\0"
SHARD_MAGIC = b"DTLNSHD\0"
END_MAGIC = b"DTLNEND\0"
HEADER_LEN = 24
ROW_LEN = 24
FOOTER_LEN = 16
TERMS = 2  # Section::Terms

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS_DIR = os.path.join(ROOT, "fuzz", "corpus", "index")
REGRESSION = os.path.join(ROOT, "fuzz", "regressions", "index-fst-unpack-uint-panic.dtl")
QUERIES = ["russia", "r"]


def crc32(b):
    return zlib.crc32(b) & 0xFFFFFFFF


def read_frame(b, magic=MAGIC):
    """(version, [(id, bytes)] in table order) of a framed file, every CRC checked."""
    if b[:8] != magic or b[-8:] != END_MAGIC:
        raise ValueError("not a framed file (magic)")
    version, count, length = struct.unpack_from("<IIQ", b, 8)
    if length != len(b):
        raise ValueError(f"header says {length} bytes, file has {len(b)}")
    table_end = HEADER_LEN + count * ROW_LEN
    (head_crc,) = struct.unpack_from("<I", b, len(b) - FOOTER_LEN)
    if head_crc != crc32(b[:table_end]):
        raise ValueError("header checksum")
    sections = []
    for i in range(count):
        sid, crc, off, slen = struct.unpack_from("<IIQQ", b, HEADER_LEN + i * ROW_LEN)
        body = b[off:off + slen]
        if len(body) != slen or crc32(body) != crc:
            raise ValueError(f"section {sid}: bounds or checksum")
        sections.append((sid, body))
    return version, sections


def frame(version, sections, magic=MAGIC):
    """A framed file holding `sections` back to back in the given order, as
    src/index/format/ `frame` writes it."""
    table_end = HEADER_LEN + len(sections) * ROW_LEN
    total = table_end + sum(len(s) for _, s in sections) + FOOTER_LEN
    head = bytearray(magic + struct.pack("<IIQ", version, len(sections), total))
    off = table_end
    for sid, body in sections:
        head += struct.pack("<IIQQ", sid, crc32(body), off, len(body))
        off += len(body)
    out = bytes(head) + b"".join(s for _, s in sections)
    out += struct.pack("<II", crc32(bytes(head)), 0) + END_MAGIC
    assert len(out) == total
    return out


def run(cmd, **kw):
    print("+", " ".join(cmd), file=sys.stderr)
    return subprocess.run(cmd, check=True, **kw)


def build(dateline, out, *flags):
    run([dateline, "build", "--manifest", os.path.join(ROOT, "corpus", "manifest.toml"),
         "--out", out, "--quiet", *flags])
    with open(os.path.join(out, "index.dtl"), "rb") as f:
        return f.read()


def traced_shards(dateline, index_dir, query):
    """Shard names `dateline search --trace-shards` reports loading, in order."""
    p = run([dateline, "search", "--index", index_dir, "--trace-shards", query],
            capture_output=True, text=True)
    return re.findall(r"^shard ([0-9a-f]{16}) ", p.stderr, re.M)


def with_shards(root, shard_dir, names):
    out = bytearray(root)
    for name in names:
        with open(os.path.join(shard_dir, name + ".dtl"), "rb") as f:
            out += bytes.fromhex(name) + f.read()
    return bytes(out)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)
    print(f"wrote {os.path.relpath(path, ROOT)} ({len(data)} bytes)", file=sys.stderr)


def git_rm(path):
    tracked = subprocess.run(["git", "-C", ROOT, "ls-files", "--error-unmatch", path],
                             capture_output=True).returncode == 0
    if tracked:
        run(["git", "-C", ROOT, "rm", "-q", path])
    else:
        os.remove(path)
    print(f"removed {os.path.relpath(path, ROOT)}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dateline", required=True, help="the dateline binary that writes the new format")
    ap.add_argument("--check", action="store_true", help="check that the binary refuses the regression file's terms")
    args = ap.parse_args()
    dateline = os.path.abspath(args.dateline)

    with tempfile.TemporaryDirectory(prefix="fuzz-seeds-") as tmp:
        single = build(dateline, os.path.join(tmp, "single"), "--shards", "never")
        version, sections = read_frame(single)
        sharded_dir = os.path.join(tmp, "sharded")
        root = build(dateline, sharded_dir, "--shards", "always", "--tiny-shards")
        shard_dir = os.path.join(sharded_dir, "shards")
        every = sorted(n[:-4] for n in os.listdir(shard_dir) if n.endswith(".dtl"))
        for n in every:
            with open(os.path.join(shard_dir, n + ".dtl"), "rb") as f:
                read_frame(f.read(), SHARD_MAGIC)  # a framed shard of the same version
        wanted = []
        for q in QUERIES:
            for n in traced_shards(dateline, sharded_dir, q):
                if n not in wanted:
                    wanted.append(n)
        if not wanted:
            sys.exit("--trace-shards reported no shard: is the index sharded?")

        name = f"default-corpus-v{version}.dtl"
        write(os.path.join(CORPUS_DIR, name), single)
        write(os.path.join(CORPUS_DIR, "sharded-root.dtl"), root)
        write(os.path.join(CORPUS_DIR, "sharded-root-query-shards.dtl"), with_shards(root, shard_dir, wanted))
        write(os.path.join(CORPUS_DIR, "sharded-root-all-shards.dtl"), with_shards(root, shard_dir, every))
        print(f"version {version}: {len(wanted)} shards for {' and '.join(QUERIES)}, {len(every)} in all",
              file=sys.stderr)
        for old in sorted(os.listdir(CORPUS_DIR)):
            if re.fullmatch(r"default-corpus-v\d+\.dtl", old) and old != name:
                git_rm(os.path.join(CORPUS_DIR, old))

        # The regression input: the forged FST from the current file, in the new frame.
        with open(REGRESSION, "rb") as f:
            _, old_sections = read_frame(f.read())
        forged = [body for sid, body in old_sections if sid == TERMS]
        if len(forged) != 1:
            sys.exit(f"{REGRESSION}: no single terms section")
        real = [body for sid, body in sections if sid == TERMS][0]
        print(f"forged terms {len(forged[0])} bytes (real {len(real)})", file=sys.stderr)
        regression = frame(version, [(sid, forged[0] if sid == TERMS else body) for sid, body in sections])
        write(REGRESSION, regression)

    if args.check:
        p = subprocess.run([dateline, "search", "--index", REGRESSION, "russia"], capture_output=True, text=True)
        msg = (p.stdout + p.stderr).strip()
        print(f"search on the regression file: exit {p.returncode}: {msg}", file=sys.stderr)
        if p.returncode == 0 or "section `terms` is corrupt (pack size over 8)" not in msg:
            sys.exit("the regression file is not refused for its terms section")


if __name__ == "__main__":
    main()
