#!/usr/bin/env bash
# Builds damaged disk images with Debian's tools (and byte edits at offsets read from the images'
# own structures), for the tests of damaged volumes and metadata (issue 16, items 5, 6, 7).
# Usage: make-damaged.sh OUTDIR
# Writes known.bin (93,691 random bytes) and:
#   mbr-ok.img / mbr-bad2.img   MBR: FAT32 partition 1 holding known.bin, ext4 partition 2; in the bad
#                               copy entry 2 starts at sector 100000000, beyond the image's end
#   gpt-ok.img / gpt-nohdr.img  GPT: FAT32 + ext4; in the damaged copy the primary header (LBA 1) is zeroed
#   fatloop.img                 FAT16 holding known.bin, whose cluster chain points to itself
#   ntfs-ok.img / ntfs-fixup.img NTFS with a.bin, b.bin; a.bin's MFT record has a broken fixup
#   ext4-ok.img / ext4-inodes.img ext4; in the damaged copy ten in-use inodes are overwritten with
#                               random bytes (fixed seed), listed in ext4-inodes.txt
#   ext4-inline.img             the same ten inodes overwritten with random bytes that keep the inline-data
#                               flag and claim 1-3 GB of inline data (issue 16 item 6 as filed: libtsk
#                               allocates the claimed size); inodes listed in ext4-inline.txt
#   ext4-inline-mbr.img / .E01  ext4-inline.img as partition 1 of an MBR disk, and that disk as an E01
#   ext4-early-ok.img / ext4-inline-early.img  the same without resize_inode, so the inode table starts
#                               in the first 64 KiB, which libtsk caches while probing for a partition
#                               table; inodes listed in ext4-inline-early.txt
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
export MTOOLS_SKIP_CHECK=1
out="$1"
mkdir -p "$out"
cd "$out"
head -c 93691 /dev/urandom > known.bin
head -c 20000 /dev/urandom > a.bin
head -c 30000 /dev/urandom > b.bin

rm -f p1.img p2.img
mkfs.vfat -F 32 -S 512 -s 1 -C -n PART1 p1.img 34000 >/dev/null
mcopy -i p1.img known.bin a.bin ::/
mkdir -p e4src && cp b.bin e4src/
mke2fs -q -t ext4 -b 1024 -d e4src p2.img 8M >/dev/null

rm -f mbr-ok.img
truncate -s 60M mbr-ok.img
sfdisk -q mbr-ok.img >/dev/null <<'P'
label: dos
start=2048, size=68000, type=c
start=71680, size=16384, type=83
P
dd if=p1.img of=mbr-ok.img bs=512 seek=2048 conv=notrunc status=none
dd if=p2.img of=mbr-ok.img bs=512 seek=71680 conv=notrunc status=none
cp mbr-ok.img mbr-bad2.img
# Entry 2's start LBA (MBR offset 446 + 16 + 8, little-endian) = 100000000.
printf '\x00\xe1\xf5\x05' | dd of=mbr-bad2.img bs=1 seek=$((446 + 16 + 8)) conv=notrunc status=none

rm -f gpt-ok.img
truncate -s 60M gpt-ok.img
sfdisk -q gpt-ok.img >/dev/null <<'P'
label: gpt
start=2048, size=68000, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name="fat"
start=71680, size=16384, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="linux"
P
dd if=p1.img of=gpt-ok.img bs=512 seek=2048 conv=notrunc status=none
dd if=p2.img of=gpt-ok.img bs=512 seek=71680 conv=notrunc status=none
cp gpt-ok.img gpt-nohdr.img
dd if=/dev/zero of=gpt-nohdr.img bs=512 seek=1 count=1 conv=notrunc status=none

# FAT16 whose file's first cluster points to itself in both FATs (offsets from the boot sector).
rm -f fatloop.img
mkfs.vfat -F 16 -C -n LOOP fatloop.img 16384 >/dev/null
mcopy -i fatloop.img known.bin ::/
python3 - fatloop.img <<'PY'
import struct, sys
with open(sys.argv[1], 'r+b') as f:
    b = f.read(512)
    bps, spc, res, nfats = struct.unpack_from('<HBHB', b, 11)
    rootents, _, _, fatsz = struct.unpack_from('<HHBH', b, 17)
    f.seek((res + nfats * fatsz) * bps)
    root = f.read(rootents * 32)
    for i in range(rootents):
        e = root[i * 32:i * 32 + 32]
        if e[0] in (0, 0xe5) or e[11] & 0x08 or e[11] == 0x0f:
            continue
        clus = struct.unpack_from('<H', e, 26)[0]
        for k in range(nfats):
            f.seek((res + k * fatsz) * bps + 2 * clus)
            f.write(struct.pack('<H', clus))
PY

# NTFS: a.bin's MFT record gets a wrong update sequence value at the end of its first sector.
rm -f ntfs-ok.img
truncate -s 8M ntfs-ok.img
mkntfs -q -F -f -L DAMAGED ntfs-ok.img >/dev/null 2>&1
ntfscp -q ntfs-ok.img a.bin a.bin >/dev/null 2>&1
ntfscp -q ntfs-ok.img b.bin b.bin >/dev/null 2>&1
cp ntfs-ok.img ntfs-fixup.img
inode=$(ifind -n a.bin ntfs-ok.img)
python3 - ntfs-fixup.img "$inode" <<'PY'
import struct, sys
with open(sys.argv[1], 'r+b') as f:
    b = f.read(512)
    bps = struct.unpack_from('<H', b, 11)[0]
    cluster = bps * b[13]
    mft = struct.unpack_from('<q', b, 0x30)[0]
    rec = b[0x40]
    rec_size = rec * cluster if rec < 128 else 1 << (256 - rec)
    f.seek(mft * cluster + int(sys.argv[2]) * rec_size + 510)
    f.write(b'\xde\xad')
PY

# ext4 with a few directories; ten in-use inodes overwritten with random bytes (but for the
# inline-data flag, see below).
rm -rf e4tree && mkdir -p e4tree/d1/d2 e4tree/d3
for i in $(seq 1 30); do head -c $((i * 700)) /dev/urandom > e4tree/f$i.bin; head -c 3000 /dev/urandom > e4tree/d1/g$i; done
for i in $(seq 1 8); do head -c 20000 /dev/urandom > e4tree/d1/d2/h$i; done
rm -f ext4-ok.img
mke2fs -q -t ext4 -b 1024 -I 256 -N 2048 -d e4tree ext4-ok.img 32M >/dev/null
cp ext4-ok.img ext4-inodes.img
cp ext4-ok.img ext4-inline.img
damage_inodes() {
python3 - "$@" <<'PY'
import random, struct, sys
inline = sys.argv[2] == 'inline'
with open(sys.argv[1], 'r+b') as f:
    f.seek(1024)
    sb = f.read(1024)
    per_group = struct.unpack_from('<I', sb, 40)[0]
    block = 1024 << struct.unpack_from('<I', sb, 24)[0]
    first_data = struct.unpack_from('<I', sb, 20)[0]
    inode_size = struct.unpack_from('<H', sb, 88)[0]
    f.seek((first_data + 1) * block)
    table = struct.unpack_from('<I', f.read(64), 8)[0]
    r = random.Random(2)
    for ino in sorted(r.sample(range(12, 110), 10)):  # in-use inodes of group 0, never the root
        assert ino <= per_group
        f.seek(table * block + (ino - 1) * inode_size)
        raw = bytearray(r.getrandbits(8) for _ in range(inode_size))
        if inline:
            # The inline-data flag (i_flags 0x10000000) with a claimed size of gigabytes: libtsk 4.11
            # allocates and zeroes that much while it looks the inode up, before any caller can check.
            raw[35] |= 0x10
            struct.pack_into('<I', raw, 4, r.randrange(1 << 30, 3 << 30))
            struct.pack_into('<I', raw, 108, 0)
        else:
            # Not the inline-data flag: the case above is ext4-inline.img's.
            raw[35] &= 0xef
        f.write(bytes(raw))
        print(ino)
PY
}
damage_inodes ext4-inodes.img plain > ext4-inodes.txt
damage_inodes ext4-inline.img inline > ext4-inline.txt
rm -f ext4-early-ok.img
mke2fs -q -t ext4 -b 1024 -I 256 -N 2048 -O ^resize_inode -d e4tree ext4-early-ok.img 32M >/dev/null
cp ext4-early-ok.img ext4-inline-early.img
damage_inodes ext4-inline-early.img inline > ext4-inline-early.txt

rm -f ext4-inline-mbr.img ext4-inline-mbr.E0*
truncate -s 40M ext4-inline-mbr.img
sfdisk -q ext4-inline-mbr.img >/dev/null <<'P'
label: dos
start=2048, size=65536, type=83
P
dd if=ext4-inline.img of=ext4-inline-mbr.img bs=512 seek=2048 conv=notrunc status=none
ewfacquire -u -q -c none -d sha1 -t ext4-inline-mbr -C case -D disk -e examiner -E ev1 -N notes ext4-inline-mbr.img >/dev/null 2>&1
