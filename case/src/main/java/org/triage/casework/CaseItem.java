package org.triage.casework;

import java.time.Instant;

/**
 * One evidence item of a case, as added.
 *
 * @param id       1, 2, 3… in the order added
 * @param path     the item as the examiner named it, made absolute
 * @param label    the examiner's words ("Laptop, exhibit JB/1"), or null
 * @param kind     "directory", "device", or the image format (raw, split-raw, ewf, vmdk, vhd)
 * @param device   the physical device the item is read from (a whole disk, "sda"; "dev 0:45" where
 *                 the kernel names none): items on different devices may be read at once
 * @param identity what makes the item itself, whatever name it is given: device and inode of the
 *                 item (of the first segment of a split or EWF image)
 * @param size     bytes of the image files (all segments) or of the device; -1 for a directory (not
 *                 walked when added)
 * @param addedAt  when it was added
 */
public record CaseItem(long id, String path, String label, String kind, String device, String identity, long size,
                       Instant addedAt) {

    /** "/cases/ex1.E01 [Laptop, exhibit JB/1]": for people. */
    public String describe() {
        return label == null ? path : path + " [" + label + "]";
    }
}
