"""Drops the top-level `component-name` custom section of a WebAssembly component, in place.

The section only names the component's items for debuggers; a custom section never changes
what a component does. Everything else is copied byte for byte.
"""

import sys

MAGIC_COMPONENT = b"\x00asm\x0d\x00\x01\x00"
DROP = {b"component-name"}


def leb128(data: bytes, i: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def main(path: str) -> None:
    data = open(path, "rb").read()
    if data[:8] != MAGIC_COMPONENT:
        return  # not a component (a core module build): nothing to do
    out = bytearray(data[:8])
    i = 8
    while i < len(data):
        start = i
        section_id = data[i]
        size, body = leb128(data, i + 1)
        end = body + size
        if section_id == 0:
            name_len, name_at = leb128(data, body)
            if data[name_at:name_at + name_len] in DROP:
                i = end
                continue
        out += data[start:end]
        i = end
    if i != len(data):
        sys.exit(f"{path}: truncated section")
    with open(path, "wb") as f:
        f.write(out)


if __name__ == "__main__":
    main(sys.argv[1])
