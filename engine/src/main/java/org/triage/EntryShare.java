package org.triage;

/**
 * One share of an evidence item's entries, so that several machines can scan one large item at
 * once ({@link ScanConfig.Builder#share}), each reading only its own files. The shares {@code 0..parts-1}
 * of an item are disjoint and together hold every entry once, whatever the item.
 *
 * <p>How an item is cut: a disk image or device lists every entry before it delivers them, in disk
 * order (partitions in turn, each filesystem's files by their first block); share {@code part}
 * takes a contiguous range of that list, weighted by the bytes each entry holds, so that each share
 * reads about the same bytes from one region of the disk. A directory tree streams its listing and
 * knows no totals: there an entry goes to the share its path's hash names (balanced by count, not
 * bytes). An archive's members and the files of a disk image found in the item go with the entry
 * that holds them.
 *
 * @param part  this share, 0 to {@code parts - 1}
 * @param parts how many shares the item is cut into, at least 1
 */
public record EntryShare(int part, int parts) {
    public EntryShare {
        if (parts < 1) throw new IllegalArgumentException("an item is cut into at least 1 share, was " + parts);
        if (part < 0 || part >= parts) {
            throw new IllegalArgumentException("share " + part + " is not one of 0.." + (parts - 1));
        }
    }

    /** "share 2 of 3": for people (counting from 1). */
    public String describe() {
        return "share " + (part + 1) + " of " + parts;
    }
}
