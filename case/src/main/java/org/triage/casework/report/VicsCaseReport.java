package org.triage.casework.report;

import java.io.IOException;
import java.io.OutputStream;
import org.triage.model.TakenAs;
import org.triage.priority.CategoryTable;
import org.triage.report.OutputTarget;
import org.triage.report.VicsWriter;

/**
 * The whole case as one VICS 2.0 JSON document for CAID / Project VIC: the scan's own
 * {@link VicsWriter} fed every entry of every item's last run, so that one Media stands for one
 * content wherever it was found (every copy a MediaFile, its item the SourceID), with the
 * categories of its matches, and pictures and videos in no set appear as new material. Categories
 * are ranked by the default category table (the case does not record a run's {@code --categories}
 * file). Memory: one small object per distinct picture or video, as the scan's writer.
 */
public final class VicsCaseReport {
    private final CaseContents contents;

    public VicsCaseReport(CaseContents contents) {
        this.contents = contents;
    }

    public void writeTo(OutputStream out) throws IOException {
        VicsWriter vics = new VicsWriter(OutputTarget.stream(out, "VICS report"), CategoryTable.defaults());
        for (ItemSection item : contents.items()) {
            String kind = item.entry().item().item().kind();
            vics.taken(item.entry().item().item().path(), "directory".equals(kind) ? TakenAs.DIRECTORY
                    : "device".equals(kind) ? TakenAs.DEVICE : TakenAs.DISK_IMAGE);
            contents.entries(item, f -> vics.onRecord(f.record()));
        }
        vics.close();
    }
}
