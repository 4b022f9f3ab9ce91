#!/usr/bin/env bash
# Builds the disk images the image-source tests read, with Debian's own tools and without mounting.
# Usage: make-images.sh OUTDIR
# Writes: fat32.img ext4.img ntfs.img exfat.img (bare filesystems; the exFAT files by exfat-add.py),
# mbr.img (FAT32 + ext4 in a logical partition inside an extended one), gpt.img (NTFS + ext4),
# gpt.E01.. (EWF of gpt.img in several segments), gpt.raw.000.. (split raw of gpt.img), and files/
# with the content used.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
out="$1"
mkdir -p "$out"
cd "$out"
export MTOOLS_SKIP_CHECK=1
mkdir -p files/sub/deeper
printf 'hello fat\n' > files/hello.txt
head -c 300000 /dev/urandom > files/sub/random.bin
head -c 70000 /dev/urandom > files/sub/deeper/gone.bin        # deleted later (recovered)
printf 'short-lived\n' > files/deleted.txt                     # deleted later (recovered)
: > files/empty.txt
printf 'name with spaces\n' > 'files/sub/with space.txt'
head -c 5000 /dev/urandom > files/hidden-stream.bin           # becomes an NTFS alternate data stream

# FAT32, bare. 512-byte clusters so 34 MiB is enough for FAT32.
rm -f fat32.img
mkfs.vfat -F 32 -S 512 -s 1 -C -n TRIAGEFAT fat32.img 34000 >/dev/null
mmd -i fat32.img ::/sub ::/sub/deeper
mcopy -i fat32.img files/hello.txt files/deleted.txt files/empty.txt ::/
mcopy -i fat32.img files/sub/random.bin 'files/sub/with space.txt' ::/sub/
mcopy -i fat32.img files/sub/deeper/gone.bin ::/sub/deeper/
mdel -i fat32.img ::/deleted.txt ::/sub/deeper/gone.bin

# Fragmented FAT32: filled almost full with 160 KiB files, every other one deleted, then 1 MB
# files, which mtools (once its free-cluster hint wraps around) writes into the holes.
rm -f frag.img
mkdir -p fill && for i in $(seq 1 200); do head -c 163840 /dev/urandom > fill/f$i; done
for i in 1 2 3; do head -c 1000000 /dev/urandom > fill/big$i.bin; done
mkfs.vfat -F 32 -S 512 -s 1 -C -n FRAG frag.img 34000 >/dev/null
mmd -i frag.img ::/fill
mcopy -i frag.img $(for i in $(seq 1 200); do echo fill/f$i; done) ::/fill/
mdel -i frag.img $(for i in $(seq 2 2 200); do echo ::/fill/f$i; done)
mcopy -i frag.img fill/big1.bin fill/big2.bin fill/big3.bin ::/
rm -rf fill

# ext4, bare, from a directory; then a deleted file.
rm -f ext4.img
mkdir -p ext4src && cp -r files/. ext4src/ && rm -f ext4src/hidden-stream.bin
ln ext4src/hello.txt ext4src/hardlink.txt
ln -s hello.txt ext4src/symlink
truncate -s 300K ext4src/sparse.bin && printf 'tail' >> ext4src/sparse.bin   # a hole, then data
truncate -s 64K ext4src/allsparse.bin                                     # a hole only: icat gives 64 KiB of zeros, not an empty file
mke2fs -q -t ext4 -b 1024 -d ext4src ext4.img 8M >/dev/null
debugfs -w -R "rm /deleted.txt" ext4.img >/dev/null 2>&1
debugfs -w -R "rm /sub/deeper/gone.bin" ext4.img >/dev/null 2>&1

# NTFS, bare, with an alternate data stream.
rm -f ntfs.img
truncate -s 8M ntfs.img
mkntfs -q -F -f -L TRIAGENTFS ntfs.img >/dev/null 2>&1
ntfscp -q ntfs.img files/hello.txt hello.txt >/dev/null 2>&1
ntfscp -q ntfs.img files/sub/random.bin random.bin >/dev/null 2>&1
ntfscp -q -N hidden.bin ntfs.img files/hidden-stream.bin hello.txt >/dev/null 2>&1

# exFAT, bare. No Debian tool writes files into exFAT without mounting, so exfat-add.py (beside
# this script) writes directory entries and data as the specification lays them out, including two
# deleted files; fsck.exfat must find the volume clean.
rm -f exfat.img
truncate -s 8M exfat.img
mkfs.exfat -L TRIAGEEX exfat.img >/dev/null
python3 "$(dirname "$0")/exfat-add.py" exfat.img files/hello.txt files/sub/random.bin files/empty.txt \
  'files/sub/with space.txt' --deleted files/deleted.txt files/sub/deeper/gone.bin
fsck.exfat -n exfat.img >/dev/null

# MBR: FAT32 primary, ext4 in a logical partition of an extended one.
rm -f mbr.img
truncate -s 48M mbr.img
sfdisk -q mbr.img >/dev/null <<'P'
label: dos
start=2048, size=68000, type=c
start=71680, size=24000, type=5
start=73728, size=16384, type=83
P
dd if=fat32.img of=mbr.img bs=512 seek=2048 conv=notrunc status=none
dd if=ext4.img of=mbr.img bs=512 seek=73728 conv=notrunc status=none

# GPT: NTFS and ext4.
rm -f gpt.img
truncate -s 20M gpt.img
sfdisk -q gpt.img >/dev/null <<'P'
label: gpt
start=2048, size=16384, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name="data"
start=18432, size=16384, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="linux"
P
dd if=ntfs.img of=gpt.img bs=512 seek=2048 conv=notrunc status=none
dd if=ext4.img of=gpt.img bs=512 seek=18432 conv=notrunc status=none

# E01 of the GPT disk in three segments (no compression, so the segment size splits it).
rm -f gpt.E0*
ewfacquire -u -q -c none -d sha1 -S 8MiB -t gpt -C case -D gpt -e examiner -E ev1 -N notes gpt.img >/dev/null 2>&1

# Split raw of the GPT disk.
rm -f gpt.raw.0*
split -d -a 3 -b 7M gpt.img gpt.raw.

# VMDK and VHD (dynamic) of the GPT disk, which libtsk reads through libvmdk and libvhdi.
rm -f gpt.vmdk gpt.vhd
qemu-img convert -f raw -O vmdk gpt.img gpt.vmdk
qemu-img convert -f raw -O vpc gpt.img gpt.vhd

# ISO 9660 with Rock Ridge and Joliet, bare.
rm -f files.iso
genisoimage -quiet -R -J -V TRIAGEISO -o files.iso files/
