#!/usr/bin/env bash
# Builds a GPT disk for the stream-triage tests with Debian's tools, without mounting: FAT32, ext4
# and NTFS partitions holding deleted files, a ZIP, pictures, and files FRAGMENTED on purpose, some
# with a later fragment far BEFORE the first (FAT: mtools wraps its free-cluster hint into holes
# left by mdel) and some far AFTER it (ext4: debugfs writes into holes left by rm).
# Usage: make-stream-disk.sh OUTDIR [SCALE]   (SCALE multiplies the fill files' count; default 1)
# Writes OUTDIR/disk.img and OUTDIR/flat.img (the same partitions, no fragmented file, nothing deleted).
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
out="$1"
scale="${2:-1}"
mkdir -p "$out"
cd "$out"
export MTOOLS_SKIP_CHECK=1
rm -rf src && mkdir -p src/fill src/pics

printf 'hello stream\n' > src/hello.txt
head -c 300000 /dev/urandom > src/random.bin
printf 'short-lived\n' > src/deleted.txt
head -c 70000 /dev/urandom > src/gone.bin
convert -size 96x64 gradient:red-blue src/pics/a.jpg
convert -size 80x80 plasma:fractal -seed 3 src/pics/b.png
(cd src && zip -q -X archive.zip hello.txt random.bin pics/a.jpg)
n=$((200 * scale))
for i in $(seq 1 "$n"); do head -c 163840 /dev/urandom > src/fill/f$i; done
for i in 1 2 3; do head -c $((1000000 * scale)) /dev/urandom > src/big$i.bin; done

fatk=$((34000 * scale))
# FAT32 (512-byte clusters): fill, delete every other fill file, then the big files, which mtools
# writes from after the last fill file and wraps into the holes: later fragments before the first.
rm -f fat.img
mkfs.vfat -F 32 -S 512 -s 1 -C -n STREAMFAT fat.img "$fatk" >/dev/null
mmd -i fat.img ::/fill ::/pics
mcopy -i fat.img src/hello.txt src/deleted.txt src/archive.zip ::/
mcopy -i fat.img src/pics/a.jpg src/pics/b.png ::/pics/
mcopy -i fat.img $(for i in $(seq 1 "$n"); do echo src/fill/f$i; done) ::/fill/
mdel -i fat.img ::/deleted.txt $(for i in $(seq 2 2 "$n"); do echo ::/fill/f$i; done)
mcopy -i fat.img src/big1.bin src/big2.bin src/big3.bin ::/
cp fat.img fatflat.tmp && mdel -i fatflat.tmp ::/big1.bin ::/big2.bin ::/big3.bin

# ext4 (1 KiB blocks): a tree, then through debugfs fill files, every other one removed, and the big
# files written into the holes (each split over many holes, later fragments after the first).
extk=$((24000 * scale))
rm -rf extsrc && mkdir -p extsrc/pics && cp src/hello.txt src/random.bin src/archive.zip src/gone.bin extsrc/
cp src/pics/* extsrc/pics/
rm -f ext.img
mke2fs -q -t ext4 -b 1024 -d extsrc ext.img "${extk}K" >/dev/null
cmds=$(mktemp)
for i in $(seq 1 $((n / 2))); do echo "write src/fill/f$i /f$i"; done > "$cmds"
for i in $(seq 2 2 $((n / 2))); do echo "rm /f$i"; done >> "$cmds"
echo "rm /gone.bin" >> "$cmds"
debugfs -w -f "$cmds" ext.img >/dev/null 2>&1
cp ext.img extflat.tmp
printf 'write src/big1.bin /big1.bin\nwrite src/big2.bin /big2.bin\n' | debugfs -w -f - ext.img >/dev/null 2>&1
rm -f "$cmds"

# NTFS: a few files and a picture.
rm -f ntfs.img
truncate -s 8M ntfs.img
mkntfs -q -F -f -L STREAMNTFS ntfs.img >/dev/null 2>&1
ntfscp -q ntfs.img src/hello.txt hello.txt >/dev/null 2>&1
ntfscp -q ntfs.img src/random.bin random.bin >/dev/null 2>&1
ntfscp -q ntfs.img src/pics/a.jpg a.jpg >/dev/null 2>&1

# The GPT disks: 1 MiB of table, then each filesystem.
build() { # build IMG FAT EXT
  local img="$1" fat="$2" ext="$3"
  local fs=$(( $(stat -c %s "$fat") / 512 )) es=$(( $(stat -c %s "$ext") / 512 )) ns=16384
  local f0=2048 e0=$((2048 + fs + 2048)) n0
  e0=$(( (e0 + 2047) / 2048 * 2048 )); n0=$(( (e0 + es + 2048 + 2047) / 2048 * 2048 ))
  rm -f "$img"; truncate -s $(( (n0 + ns + 4096) * 512 )) "$img"
  sfdisk -q "$img" >/dev/null <<P
label: gpt
start=$f0, size=$fs, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name="fat"
start=$e0, size=$es, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name="ext"
start=$n0, size=$ns, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7, name="ntfs"
P
  dd if="$fat" of="$img" bs=512 seek=$f0 conv=notrunc status=none
  dd if="$ext" of="$img" bs=512 seek=$e0 conv=notrunc status=none
  dd if=ntfs.img of="$img" bs=512 seek=$n0 conv=notrunc status=none
}
build disk.img fat.img ext.img
build flat.img fatflat.tmp extflat.tmp
rm -f fat.img ext.img ntfs.img fatflat.tmp extflat.tmp
rm -rf src extsrc
