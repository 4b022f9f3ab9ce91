package org.triage.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.triage.model.FileRecord;
import org.triage.model.RecordListener;

/**
 * Keeps what the report lists file by file: alert matches and entries that could not be read.
 * Everything else is only counted. Memory grows with matches and errors, not with the drive.
 */
public final class ReportCollector implements RecordListener {
    private final List<FileRecord> alerts = new ArrayList<>();
    private final List<FileRecord> unreadable = new ArrayList<>();
    private final List<FileRecord> nearAlerts = new ArrayList<>();

    @Override
    public void onRecord(FileRecord r) {
        if (r.hasAlert()) alerts.add(r);
        if (r.pdq() != null && r.pdq().hasNearAlert()) nearAlerts.add(r);
        if (r.error() != null) unreadable.add(r);
    }

    public List<FileRecord> alerts() { return Collections.unmodifiableList(alerts); }

    public List<FileRecord> unreadable() { return Collections.unmodifiableList(unreadable); }

    /**
     * Pictures whose PDQ hash lies near a known picture of an alert set, whether or not their digest
     * matched too, and whatever their quality (those under 50 are listed, not counted).
     */
    public List<FileRecord> nearAlerts() { return Collections.unmodifiableList(nearAlerts); }
}
