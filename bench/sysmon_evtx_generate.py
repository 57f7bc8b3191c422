#!/usr/bin/env python3
"""Writes the events of sysmon_generate.py (same N, seed and first process give the same events) as
a Windows XML Event Log (EVTX) file, laid out the way Windows writes Sysmon's log:

- a 4096-byte file header and 64 KiB chunks, each with its CRC32s (header; event records data),
  first/last record numbers, string table (64 hash buckets) and template table (32 buckets);
- records ("**\\0\\0", size, record id, FILETIME, Binary XML, size copy; 8-byte aligned);
- Binary XML as a template instance of the System template, whose EventData substitution (type
  0x21) is itself a template instance of the per-event-ID EventData template. Each template and each
  element/attribute name is defined once per chunk, inline in the first record that uses it, and
  referenced by chunk offset afterwards; values are typed as Sysmon types them (UnicodeString,
  UInt8/16/32/64, HexInt64, Boolean, GUID, FILETIME, SID).

One difference from Windows: Windows writes <Computer> as literal text inside the System template
(one template per computer); the generated events come from 50 computers, so it is a substitution
value here (index 18), which keeps one System template per chunk.

A file holds at most 65535 chunks (the header's chunk count is 16 bits); more events continue in
OUT-2.evtx, OUT-3.evtx ... (record numbers continue). The files written are printed.

usage: sysmon_evtx_generate.py N OUT.evtx [--seed S] [--first-process K]
"""
import argparse
import calendar
import hashlib
import os
import struct
import zlib

from sysmon_generate import events

CHUNK_SIZE = 0x10000
CHUNK_HEADER_SIZE = 512
FILE_HEADER_SIZE = 4096
MAX_CHUNKS_PER_FILE = 0xFFFF
# libevtx 20181227 does not list the last record of a chunk whose records end exactly at 64 KiB
# (c2hunt reports it as a missing record number), so a chunk is never filled to the last byte.
CHUNK_TAIL_RESERVE = 8

# Value types (MS-EVEN6 / libevtx's format documentation).
T_NULL, T_STRING, T_UINT8, T_UINT16, T_UINT32, T_UINT64 = 0x00, 0x01, 0x04, 0x06, 0x08, 0x0A
T_BOOL, T_GUID, T_FILETIME, T_SID, T_HEX64, T_BINXML = 0x0D, 0x0F, 0x11, 0x13, 0x15, 0x21

# Sysmon's EventData value types by field name (as in real Sysmon logs).
FIELD_TYPES = {
    "ProcessGuid": T_GUID, "ParentProcessGuid": T_GUID, "ProcessId": T_UINT32, "ParentProcessId": T_UINT32,
    "SourcePort": T_UINT16, "DestinationPort": T_UINT16,
    "Initiated": T_BOOL, "SourceIsIpv6": T_BOOL, "DestinationIsIpv6": T_BOOL,
}
EVENT_VERSION = {1: 5, 3: 5, 5: 3, 22: 5}
SYSMON_PROVIDER = "Microsoft-Windows-Sysmon"
SYSMON_PROVIDER_GUID = "{5770385F-C22A-43E0-BF4C-06F5698FFBD9}"
SYSMON_CHANNEL = "Microsoft-Windows-Sysmon/Operational"
SYSMON_SERVICE_PID = 2204
LOCAL_SYSTEM_SID = bytes.fromhex("010100000000000512000000")  # S-1-5-18
EVENTS_NAMESPACE = "http://schemas.microsoft.com/win/2004/08/events/event"
FILETIME_EPOCH_OFFSET = 116444736000000000  # 100 ns intervals from 1601 to 1970


def guid_bytes(text):
    t = text.strip("{}").replace("-", "")
    raw = bytes.fromhex(t)
    return raw[3::-1] + raw[5:3:-1] + raw[7:5:-1] + raw[8:]


def filetime(stamp):
    day, hour, minute, second, ms = stamp
    seconds = calendar.timegm((2024, 3, day, hour, minute, second))
    return FILETIME_EPOCH_OFFSET + (seconds * 1000 + ms) * 10000


def name_hash(name):
    h = 0
    for ch in name:
        h = (h * 65599 + ord(ch)) & 0xFFFFFFFF
    return h & 0xFFFF


# Template bodies: (name, dependency id, [(attribute, text or (index, type))], content), where content
# is a list of elements, a text string, a (substitution index, type) pair or None (empty element).
def system_template():
    def leaf(name, dep, index, vtype):
        return (name, dep, [], (index, vtype))
    system = ("System", 0xFFFF, [], [
        ("Provider", 0xFFFF, [("Name", (14, T_STRING)), ("Guid", (15, T_GUID))], None),
        ("EventID", 3, [("Qualifiers", (4, T_UINT16))], (3, T_UINT16)),
        leaf("Version", 11, 11, T_UINT8), leaf("Level", 0, 0, T_UINT8), leaf("Task", 2, 2, T_UINT16),
        leaf("Opcode", 1, 1, T_UINT8), leaf("Keywords", 5, 5, T_HEX64),
        ("TimeCreated", 0xFFFF, [("SystemTime", (6, T_FILETIME))], None),
        leaf("EventRecordID", 10, 10, T_UINT64),
        ("Correlation", 0xFFFF, [("ActivityID", (7, T_GUID)), ("RelatedActivityID", (13, T_GUID))], None),
        ("Execution", 0xFFFF, [("ProcessID", (8, T_UINT32)), ("ThreadID", (9, T_UINT32))], None),
        leaf("Channel", 16, 16, T_STRING), leaf("Computer", 0xFFFF, 18, T_STRING),
        ("Security", 0xFFFF, [("UserID", (12, T_SID))], None),
    ])
    return ("Event", 17, [("xmlns", EVENTS_NAMESPACE)], [system, (17, T_BINXML)])


def event_data_template(field_names):
    return ("EventData", 0xFFFF, [], [("Data", 0xFFFF, [("Name", name)], (i, FIELD_TYPES.get(name, T_STRING), True))
                                      for i, name in enumerate(field_names)])


def template_key_guid(key):
    return hashlib.md5(repr(key).encode()).digest()


class Chunk:
    def __init__(self):
        self.data = bytearray(CHUNK_SIZE)
        self.free = CHUNK_HEADER_SIZE
        self.names = {}        # name -> chunk offset of its definition
        self.templates = {}    # key -> (chunk offset of its definition, template id)
        self.string_buckets = [0] * 64
        self.template_buckets = [0] * 32
        self.first = self.last = None
        self.last_offset = 0


class RecordBuilder:
    """Serialises one record at a known chunk offset; names and templates it defines are kept in
    `new_names`/`new_templates` until the record is known to fit (then `commit`)."""

    def __init__(self, chunk, base):
        self.chunk, self.base = chunk, base
        self.out = bytearray()
        self.new_names, self.new_templates = {}, {}
        self.string_buckets = list(chunk.string_buckets)
        self.template_buckets = list(chunk.template_buckets)

    def here(self):
        return self.base + len(self.out)

    def u8(self, v):
        self.out.append(v)

    def pack(self, fmt, *v):
        self.out += struct.pack(fmt, *v)

    def patch_u32(self, at, v):
        struct.pack_into("<I", self.out, at, v)

    def name_ref(self, name):
        offset = self.chunk.names.get(name) or self.new_names.get(name)
        if offset:
            self.pack("<I", offset)
            return
        offset = self.here() + 4
        self.pack("<I", offset)
        h = name_hash(name)
        self.pack("<IHH", self.string_buckets[h % 64], h, len(name))
        self.out += name.encode("utf-16-le") + b"\0\0"
        self.string_buckets[h % 64] = offset
        self.new_names[name] = offset

    def text(self, s):
        self.pack("<BBH", 0x05, T_STRING, len(s))
        self.out += s.encode("utf-16-le")

    def element(self, node):
        name, dep, attributes, content = node
        start = len(self.out)
        self.pack("<BHI", 0x41 if attributes else 0x01, dep, 0)
        self.name_ref(name)
        if attributes:
            list_at = len(self.out)
            self.pack("<I", 0)
            for i, (attribute, value) in enumerate(attributes):
                self.u8(0x46 if i + 1 < len(attributes) else 0x06)
                self.name_ref(attribute)
                if isinstance(value, str):
                    self.text(value)
                else:
                    self.pack("<BHB", 0x0E, value[0], value[1])
            self.patch_u32(list_at, len(self.out) - list_at - 4)
        if content is None:
            self.u8(0x03)
        else:
            self.u8(0x02)
            if isinstance(content, list):
                for child in content:
                    if isinstance(child, tuple) and len(child) == 2:
                        self.pack("<BHB", 0x0E, child[0], child[1])
                    else:
                        self.element(child)
            elif isinstance(content, str):
                self.text(content)
            else:  # (index, type[, normal]): Sysmon's EventData uses normal substitutions
                self.pack("<BHB", 0x0D if len(content) > 2 else 0x0E, content[0], content[1])
            self.u8(0x04)
        self.patch_u32(start + 3, len(self.out) - start - 7)

    def template_instance(self, key, body):
        """Template instance header, with the definition inline on first use in the chunk."""
        known = self.chunk.templates.get(key) or self.new_templates.get(key)
        guid = template_key_guid(key)
        template_id = struct.unpack_from("<I", guid)[0]
        self.pack("<BBI", 0x0C, 0x01, template_id)
        if known:
            self.pack("<I", known[0])
            return
        offset = self.here() + 4
        self.pack("<I", offset)
        bucket = template_id % 32
        self.pack("<I", self.template_buckets[bucket])
        self.out += guid
        size_at = len(self.out)
        self.pack("<I", 0)
        self.pack("<BBBB", 0x0F, 1, 1, 0)
        self.element(body())
        self.u8(0x00)
        self.patch_u32(size_at, len(self.out) - size_at - 4)
        self.template_buckets[bucket] = offset
        self.new_templates[key] = (offset, template_id)

    def values(self, values):
        """Template instance data: [(type, bytes)]; a callable value is built at its own offset."""
        self.pack("<I", len(values))
        descriptors_at = len(self.out)
        self.out += bytes(4 * len(values))
        for i, (vtype, raw) in enumerate(values):
            if callable(raw):
                raw = raw(self.here())
            struct.pack_into("<HBB", self.out, descriptors_at + 4 * i, len(raw), vtype, 0)
            self.out += raw

    def commit(self):
        self.chunk.names.update(self.new_names)
        self.chunk.templates.update(self.new_templates)
        self.chunk.string_buckets = self.string_buckets
        self.chunk.template_buckets = self.template_buckets


def field_value(name, text):
    vtype = FIELD_TYPES.get(name, T_STRING)
    if vtype == T_STRING:
        return vtype, text.encode("utf-16-le")
    if vtype == T_GUID:
        return vtype, guid_bytes(text)
    if vtype == T_UINT32:
        return vtype, struct.pack("<I", int(text))
    if vtype == T_UINT16:
        return vtype, struct.pack("<H", int(text))
    return vtype, struct.pack("<I", 1 if text == "true" else 0)  # T_BOOL


PROVIDER_NAME = SYSMON_PROVIDER.encode("utf-16-le")
PROVIDER_GUID = guid_bytes(SYSMON_PROVIDER_GUID)
CHANNEL = SYSMON_CHANNEL.encode("utf-16-le")


def build_record(chunk, base, e):
    """The record for event `e` placed at chunk offset `base`, or None when it does not fit."""
    b = RecordBuilder(chunk, base)
    when = filetime(e.stamp)
    b.pack("<4sIQQ", b"**\0\0", 0, e.record, when)
    b.pack("<BBBB", 0x0F, 1, 1, 0)
    b.template_instance(("System",), system_template)
    names = tuple(name for name, _ in e.fields)
    data_values = [field_value(name, text) for name, text in e.fields]

    def event_data(at):
        inner = RecordBuilder(chunk, at)
        inner.new_names, inner.new_templates = b.new_names, b.new_templates
        inner.string_buckets, inner.template_buckets = b.string_buckets, b.template_buckets
        inner.pack("<BBBB", 0x0F, 1, 1, 0)
        inner.template_instance(("EventData", e.eid, names), lambda: event_data_template(names))
        inner.values(data_values)
        inner.u8(0x00)
        b.string_buckets, b.template_buckets = inner.string_buckets, inner.template_buckets
        return bytes(inner.out)

    b.values([
        (T_UINT8, b"\x04"), (T_UINT8, b"\x00"), (T_UINT16, struct.pack("<H", e.eid)),
        (T_UINT16, struct.pack("<H", e.eid)), (T_NULL, b""), (T_HEX64, struct.pack("<Q", 1 << 63)),
        (T_FILETIME, struct.pack("<Q", when)), (T_NULL, b""),
        (T_UINT32, struct.pack("<I", SYSMON_SERVICE_PID)), (T_UINT32, struct.pack("<I", 3000 + e.record % 7 * 4)),
        (T_UINT64, struct.pack("<Q", e.record)), (T_UINT8, bytes([EVENT_VERSION[e.eid]])),
        (T_SID, LOCAL_SYSTEM_SID), (T_NULL, b""), (T_STRING, PROVIDER_NAME), (T_GUID, PROVIDER_GUID),
        (T_STRING, CHANNEL), (T_BINXML, event_data), (T_STRING, e.computer.encode("utf-16-le")),
    ])
    b.u8(0x00)  # end of the record's Binary XML
    size = (len(b.out) + 4 + 7) & ~7
    b.out += bytes(size - 4 - len(b.out))
    b.pack("<I", size)
    b.patch_u32(4, size)
    if base + size > CHUNK_SIZE - CHUNK_TAIL_RESERVE:
        return None
    b.commit()
    return b.out


def finish_chunk(chunk):
    d = chunk.data
    struct.pack_into("<8sQQQQIIII", d, 0, b"ElfChnk\0", chunk.first, chunk.last, chunk.first, chunk.last,
                     128, chunk.last_offset, chunk.free, zlib.crc32(d[CHUNK_HEADER_SIZE:chunk.free]))
    struct.pack_into("<64I", d, 128, *chunk.string_buckets)
    struct.pack_into("<32I", d, 384, *chunk.template_buckets)
    struct.pack_into("<I", d, 120, 1)
    struct.pack_into("<I", d, 124, zlib.crc32(d[128:CHUNK_HEADER_SIZE], zlib.crc32(d[:120])))
    return d


def file_header(chunks, next_record):
    h = bytearray(FILE_HEADER_SIZE)
    struct.pack_into("<8sQQQIHHHH", h, 0, b"ElfFile\0", 0, chunks - 1, next_record, 128, 1, 3,
                     FILE_HEADER_SIZE, chunks)
    struct.pack_into("<I", h, 120, 0)  # flags: clean (not dirty, not full)
    struct.pack_into("<I", h, 124, zlib.crc32(h[:120]))
    return h


class EvtxWriter:
    def __init__(self, out, max_chunks=MAX_CHUNKS_PER_FILE):
        self.out, self.max_chunks = out, max_chunks
        self.paths, self.file, self.chunks = [], None, 0
        self.chunk = Chunk()
        self.written_record = 0

    def _open_next(self):
        stem, ext = os.path.splitext(self.out)
        path = self.out if not self.paths else "%s-%d%s" % (stem, len(self.paths) + 1, ext)
        self.paths.append(path)
        self.file = open(path, "wb")
        self.file.write(bytes(FILE_HEADER_SIZE))
        self.chunks = 0

    def _flush_chunk(self):
        if self.chunk.first is None:
            return
        if self.file is None or self.chunks == self.max_chunks:
            self._close_file()
            self._open_next()
        self.file.write(finish_chunk(self.chunk))
        self.chunks += 1
        self.written_record = self.chunk.last
        self.chunk = Chunk()

    def _close_file(self):
        if self.file is None:
            return
        self.file.seek(0)
        self.file.write(file_header(self.chunks, self.written_record + 1))
        self.file.close()
        self.file = None

    def add(self, e):
        record = build_record(self.chunk, self.chunk.free, e)
        if record is None:
            self._flush_chunk()
            record = build_record(self.chunk, self.chunk.free, e)
            if record is None:
                raise ValueError("event %d does not fit in an empty chunk" % e.record)
        c = self.chunk
        c.data[c.free:c.free + len(record)] = record
        if c.first is None:
            c.first = e.record
        c.last, c.last_offset = e.record, c.free
        c.free += len(record)

    def close(self):
        self._flush_chunk()
        self._close_file()
        return self.paths


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--first-process", type=int, default=0)
    ap.add_argument("--max-chunks", type=int, default=MAX_CHUNKS_PER_FILE, help=argparse.SUPPRESS)
    a = ap.parse_args()
    writer = EvtxWriter(a.out, a.max_chunks)
    for e in events(a.n, a.seed, a.first_process):
        writer.add(e)
    for path in writer.close():
        print(path)


if __name__ == "__main__":
    main()
