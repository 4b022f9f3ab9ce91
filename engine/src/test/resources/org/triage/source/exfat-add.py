#!/usr/bin/env python3
"""Adds files to the root directory of an exFAT volume made by mkfs.exfat, without mounting.

No Debian tool writes files into exFAT unmounted (exfatprogs only makes and checks volumes), so the
test images get their files from this: each file's data goes into free clusters after every used
one, contiguous (NoFatChain, so the FAT is not involved), and a directory entry set (file, stream
extension, file name entries; set checksum and name hash as the exFAT specification defines them)
goes into the root directory. Files after --deleted are written the same way, then deleted as an
operating system does: the in-use bit of each of their entries cleared and their clusters left free
in the allocation bitmap. make-images.sh checks the result with fsck.exfat; the tests check what
libtsk reads against sleuthkit's fls and icat.

Usage: exfat-add.py IMAGE FILE... [--deleted FILE...]
"""
import os
import struct
import sys

# 2026-11-25 12:00:00 as an exFAT timestamp (the DOS layout)
TIMESTAMP = (46 << 25) | (11 << 21) | (25 << 16) | (12 << 11)


def rotate_add(value, byte):
    return ((((value & 1) << 15) | (value >> 1)) + byte) & 0xFFFF


def set_checksum(entries):
    value = 0
    for i, byte in enumerate(entries):
        if i not in (2, 3):  # the checksum field itself
            value = rotate_add(value, byte)
    return value


def name_hash(name):
    value = 0
    for byte in name.upper().encode('utf-16-le'):  # the names used here are ASCII: upper() is the up-case table
        value = rotate_add(value, byte)
    return value


def entry_set(name, first_cluster, length, allocated):
    units = name.encode('utf-16-le')
    name_entries = (len(name) + 14) // 15
    e = bytearray(32 * (2 + name_entries))
    e[0] = 0x85                                            # file
    e[1] = 1 + name_entries                                # secondary count
    struct.pack_into('<H', e, 4, 0x20)                     # attributes: archive
    struct.pack_into('<III', e, 8, TIMESTAMP, TIMESTAMP, TIMESTAMP)
    e[32] = 0xC0                                           # stream extension
    e[33] = 0x03 if allocated else 0x01                    # allocation possible, no FAT chain
    e[35] = len(name)
    struct.pack_into('<H', e, 36, name_hash(name))
    struct.pack_into('<Q', e, 40, length)                  # valid data length
    struct.pack_into('<IQ', e, 52, first_cluster, length)  # first cluster, data length
    for k in range(name_entries):
        o = 64 + 32 * k
        e[o] = 0xC1                                        # file name
        part = units[30 * k:30 * k + 30]
        e[o + 2:o + 2 + len(part)] = part
    struct.pack_into('<H', e, 2, set_checksum(e))
    return e


def add(image, files, deleted):
    with open(image, 'r+b') as f:
        boot = f.read(512)
        if boot[3:11] != b'EXFAT   ':
            sys.exit(image + ': not an exFAT volume')
        heap_offset, cluster_count, root = struct.unpack_from('<III', boot, 0x58)
        sector = 1 << boot[0x6C]
        cluster = sector << boot[0x6D]

        def offset(c):
            return heap_offset * sector + (c - 2) * cluster

        f.seek(offset(root))
        directory = bytearray(f.read(cluster))
        bitmap_at = bitmap_length = end = None
        for i in range(0, cluster, 32):
            if directory[i] == 0x81:
                bitmap_at, bitmap_length = struct.unpack_from('<IQ', directory, i + 20)
            if directory[i] == 0x00:
                end = i
                break
        if bitmap_at is None or end is None:
            sys.exit(image + ': no allocation bitmap or no free root directory entry')
        f.seek(offset(bitmap_at))
        bitmap = bytearray(f.read(bitmap_length))
        used = [c for c in range(cluster_count) if bitmap[c // 8] >> (c % 8) & 1]
        next_free = max(used) + 3  # bit n of the bitmap is cluster n + 2

        for path, gone in [(p, False) for p in files] + [(p, True) for p in deleted]:
            with open(path, 'rb') as src:
                data = src.read()
            clusters = (len(data) + cluster - 1) // cluster
            first = next_free if clusters else 0
            if clusters:
                if next_free - 2 + clusters > cluster_count:
                    sys.exit(image + ': volume full')
                f.seek(offset(first))
                f.write(data)
                if not gone:
                    for c in range(first, first + clusters):
                        bitmap[(c - 2) // 8] |= 1 << ((c - 2) % 8)
                next_free += clusters
            entries = entry_set(os.path.basename(path), first, len(data), clusters > 0)
            if gone:
                for k in range(0, len(entries), 32):
                    entries[k] &= 0x7F                    # not in use: deleted
            if end + len(entries) >= cluster:
                sys.exit(image + ': the root directory cluster is full')
            directory[end:end + len(entries)] = entries
            end += len(entries)

        f.seek(offset(root))
        f.write(directory)
        f.seek(offset(bitmap_at))
        f.write(bitmap)


def main():
    args = sys.argv[2:]
    split = args.index('--deleted') if '--deleted' in args else len(args)
    add(sys.argv[1], args[:split], args[split + 1:])


if __name__ == '__main__':
    main()
