package org.triage.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * A partition table read entry by entry, for when libtsk will not read it: libtsk rejects a whole
 * MBR over one entry that starts beyond the end of the image, and takes a GPT disk whose primary
 * header is damaged for a DOS disk with one "GPT Safety Partition". Either way the intact
 * partitions would be hidden. Here every entry is judged on its own: good ones are returned to be
 * opened, bad ones become {@link Problem}s that name the entry and why.
 *
 * <p>MBR: the four primary entries, then the extended partition's chain of EBRs (logical
 * partitions numbered from 5, as Linux does), followed at most {@link #MAX_LOGICAL} links and never
 * to an EBR already visited. GPT (a protective MBR entry of type 0xEE): the primary header and its
 * entry array, each checked by its CRC32; when either is damaged, the backup header (at the
 * primary's alternate LBA, else the last sector) and its own array are used, and the damage is
 * reported. Sectors are 512 bytes (libtsk's default; a GPT on 4096-byte sectors is tried too).
 *
 * <p>Reads only through the given {@link Reader}; holds nothing; thread-safe.
 */
final class PartitionTable {
    static final int MAX_LOGICAL = 128;
    /** Larger entry arrays than this (128 entries of 128 bytes is usual) are not a GPT we trust. */
    private static final int MAX_GPT_ARRAY = 1 << 20;

    /** Reads exactly {@code buf.length} bytes at a byte offset of the image, or throws. */
    @FunctionalInterface
    interface Reader {
        void readFully(long offset, byte[] buf) throws IOException;
    }

    /** One usable partition: its number in the table (1-based), byte offset, byte length and description. */
    record Entry(int number, long offset, long length, String description) {
    }

    /** An entry or structure that cannot be used: what it is, its byte offset on the image, and why. */
    record Problem(String what, long offset, String why) {
    }

    /** What the table holds: its type ("dos" or "gpt", as libtsk names them), entries and problems. */
    record Result(String type, List<Entry> entries, List<Problem> problems) {
    }

    private PartitionTable() {
    }

    /** The table of an image of {@code imageSize} bytes, or null when sector 0 holds no MBR at all. */
    static Result read(Reader in, long imageSize) throws IOException {
        if (imageSize < 512) return null;
        byte[] mbr = new byte[512];
        in.readFully(0, mbr);
        if (!hasMbr(mbr)) return null;
        ByteBuffer b = ByteBuffer.wrap(mbr).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) {
            if ((b.get(446 + 16 * i + 4) & 0xff) == 0xee) {
                Result gpt = gpt(in, imageSize, 512);
                if (gpt.entries().isEmpty() && imageSize >= 2 * 4096) {
                    Result big = gpt(in, imageSize, 4096);
                    if (!big.entries().isEmpty()) return big;
                }
                return gpt;
            }
        }
        return dos(in, b, imageSize);
    }

    /**
     * Whether the first sector of an image is an MBR (also the protective MBR of a GPT disk): the
     * 0x55AA signature, and a status byte of 0 or 0x80 in each of the four entries.
     */
    static boolean hasMbr(byte[] sector0) {
        if (sector0.length < 512 || (sector0[510] & 0xff) != 0x55 || (sector0[511] & 0xff) != 0xaa) return false;
        for (int i = 0; i < 4; i++) {
            int status = sector0[446 + 16 * i] & 0xff;
            if (status != 0 && status != 0x80) return false; // boot code, not a partition table (a bare FAT, say)
        }
        return true;
    }

    private static Result dos(Reader in, ByteBuffer mbr, long imageSize) throws IOException {
        List<Entry> entries = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        long sectors = imageSize / 512;
        for (int i = 0; i < 4; i++) {
            int at = 446 + 16 * i;
            int type = mbr.get(at + 4) & 0xff;
            if (type == 0) continue;
            long start = Integer.toUnsignedLong(mbr.getInt(at + 8));
            long count = Integer.toUnsignedLong(mbr.getInt(at + 12));
            String what = "partition entry " + (i + 1) + " (type " + hex(type) + ")";
            if (!usable(what, start, count, sectors, problems)) continue;
            if (extended(type)) {
                logical(in, start, sectors, entries, problems);
            } else {
                entries.add(new Entry(i + 1, start * 512, count * 512, dosName(type)));
            }
        }
        return new Result("dos", entries, problems);
    }

    /** Follows the chain of EBRs of the extended partition starting at sector {@code ext}. */
    private static void logical(Reader in, long ext, long sectors, List<Entry> entries, List<Problem> problems)
            throws IOException {
        Set<Long> seen = new HashSet<>();
        long ebr = ext;
        int number = 5;
        byte[] sector = new byte[512];
        while (true) {
            if (!seen.add(ebr)) {
                problems.add(new Problem("extended partition", ebr * 512,
                        "the chain of logical partitions loops back to the table at sector " + ebr));
                return;
            }
            if (seen.size() > MAX_LOGICAL) {
                problems.add(new Problem("extended partition", ebr * 512, "more than " + MAX_LOGICAL
                        + " logical partitions: the rest of the chain is not followed"));
                return;
            }
            in.readFully(ebr * 512, sector);
            if ((sector[510] & 0xff) != 0x55 || (sector[511] & 0xff) != 0xaa) {
                problems.add(new Problem("extended partition table at sector " + ebr, ebr * 512,
                        "no table signature (0x55AA): the logical partitions from number " + number + " on are lost"));
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(sector).order(ByteOrder.LITTLE_ENDIAN);
            int type = b.get(446 + 4) & 0xff;
            if (type != 0) {
                long start = ebr + Integer.toUnsignedLong(b.getInt(446 + 8));
                long count = Integer.toUnsignedLong(b.getInt(446 + 12));
                String what = "partition entry " + number + " (logical, type " + hex(type) + ")";
                if (usable(what, start, count, sectors, problems)) {
                    entries.add(new Entry(number, start * 512, count * 512, dosName(type)));
                }
                number++;
            }
            int nextType = b.get(446 + 16 + 4) & 0xff;
            long next = Integer.toUnsignedLong(b.getInt(446 + 16 + 8));
            if (!extended(nextType) || next == 0 && nextType == 0) return;
            long nextEbr = ext + next;
            if (nextEbr >= sectors) {
                problems.add(new Problem("extended partition table at sector " + ebr, ebr * 512,
                        "its link to the next table points to sector " + nextEbr + ", beyond the image's end ("
                                + sectors + " sectors)"));
                return;
            }
            ebr = nextEbr;
        }
    }

    /** Checks one entry's extent against the image; adds a problem and returns false when it cannot be used. */
    private static boolean usable(String what, long start, long count, long sectors, List<Problem> problems) {
        if (count == 0) {
            problems.add(new Problem(what, start * 512, what + " has no sectors"));
            return false;
        }
        if (start >= sectors) {
            problems.add(new Problem(what, start * 512, what + " starts at sector " + start
                    + ", beyond the image's end (" + sectors + " sectors)"));
            return false;
        }
        return true;
    }

    private static Result gpt(Reader in, long imageSize, int ss) throws IOException {
        List<Problem> problems = new ArrayList<>();
        long sectors = imageSize / ss;
        Header primary = header(in, 1, ss, sectors);
        Header used = primary;
        if (primary.why != null) {
            long alt = primary.alternate > 1 && primary.alternate < sectors ? primary.alternate : sectors - 1;
            Header backup = header(in, alt, ss, sectors);
            if (backup.why != null) {
                problems.add(new Problem("GPT", ss, "primary header at sector 1: " + primary.why
                        + "; backup header at sector " + alt + ": " + backup.why));
                return new Result("gpt", List.of(), problems);
            }
            problems.add(new Problem("GPT primary header", ss, "GPT primary header at sector 1: " + primary.why
                    + "; the partitions are read from the backup header at sector " + alt));
            used = backup;
        }
        List<Entry> entries = new ArrayList<>();
        ByteBuffer a = ByteBuffer.wrap(used.array).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < used.count; i++) {
            int at = i * used.entrySize;
            if (a.getLong(at) == 0 && a.getLong(at + 8) == 0) continue; // unused entry
            long first = a.getLong(at + 32);
            long last = a.getLong(at + 40);
            String name = new String(used.array, at + 56, Math.min(72, used.entrySize - 56), StandardCharsets.UTF_16LE);
            int nul = name.indexOf('\0');
            if (nul >= 0) name = name.substring(0, nul);
            String what = "partition entry " + (i + 1) + (name.isEmpty() ? "" : " (\"" + name + "\")");
            if (first < 0 || last < first) {
                problems.add(new Problem(what, Math.max(0, first) * ss, what + " ends (sector " + last
                        + ") before it starts (sector " + first + ")"));
                continue;
            }
            if (!usable(what, first, last - first + 1, sectors, problems)) continue;
            entries.add(new Entry(i + 1, first * ss, (last - first + 1) * ss, name.isEmpty() ? "GPT partition" : name));
        }
        return new Result("gpt", entries, problems);
    }

    /** A GPT header with its entry array, or the reason it cannot be used ({@code why}). */
    private record Header(String why, long alternate, byte[] array, int count, int entrySize) {
        static Header bad(String why, long alternate) { return new Header(why, alternate, null, 0, 0); }
    }

    private static Header header(Reader in, long lba, int ss, long sectors) throws IOException {
        if (lba >= sectors) return Header.bad("beyond the image's end", -1);
        byte[] h = new byte[ss];
        in.readFully(lba * ss, h);
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        if (!new String(h, 0, 8, StandardCharsets.US_ASCII).equals("EFI PART")) return Header.bad("no \"EFI PART\" signature", -1);
        int size = b.getInt(12);
        if (size < 92 || size > ss) return Header.bad("header size " + size + " is not possible", -1);
        int stored = b.getInt(16);
        CRC32 crc = new CRC32();
        crc.update(h, 0, 16);
        crc.update(new byte[4]);
        crc.update(h, 20, size - 20);
        long alternate = b.getLong(32);
        if ((int) crc.getValue() != stored) {
            return Header.bad("header CRC32 is " + hex32((int) crc.getValue()) + ", the header says " + hex32(stored), -1);
        }
        long arrayLba = b.getLong(72);
        long count = Integer.toUnsignedLong(b.getInt(80));
        long entrySize = Integer.toUnsignedLong(b.getInt(84));
        if (entrySize < 128 || entrySize % 8 != 0 || count * entrySize > MAX_GPT_ARRAY) {
            return Header.bad(count + " entries of " + entrySize + " bytes is not a partition array", alternate);
        }
        if (arrayLba < 0 || arrayLba + (count * entrySize + ss - 1) / ss > sectors) {
            return Header.bad("its partition array at sector " + arrayLba + " lies beyond the image's end", alternate);
        }
        byte[] array = new byte[(int) (count * entrySize)];
        in.readFully(arrayLba * ss, array);
        crc.reset();
        crc.update(array);
        int arrayCrc = b.getInt(88);
        if ((int) crc.getValue() != arrayCrc) {
            return Header.bad("its partition array at sector " + arrayLba + " has CRC32 " + hex32((int) crc.getValue())
                    + ", the header says " + hex32(arrayCrc), alternate);
        }
        return new Header(null, alternate, array, (int) count, (int) entrySize);
    }

    private static boolean extended(int type) {
        return type == 0x05 || type == 0x0f || type == 0x85;
    }

    private static String dosName(int type) {
        String name = switch (type) {
            case 0x01 -> "DOS FAT12";
            case 0x04, 0x06, 0x0e -> "DOS FAT16";
            case 0x07 -> "NTFS / exFAT";
            case 0x0b, 0x0c -> "Win95 FAT32";
            case 0x82 -> "Linux Swap";
            case 0x83 -> "Linux";
            case 0x8e -> "Linux Logical Volume Manager";
            default -> "DOS partition";
        };
        return name + " (" + hex(type) + ")";
    }

    private static String hex(int type) {
        return String.format("0x%02x", type);
    }

    private static String hex32(int v) {
        return String.format("0x%08x", v);
    }
}
